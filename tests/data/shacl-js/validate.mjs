// Validate an N-Triples data graph against a Turtle shapes graph with rdf-validate-shacl.
// Usage: node validate.cjs SHAPES.ttl DATA.nt  -> JSON {engine, conforms, results} on stdout.
import { readFileSync } from 'node:fs'
import { Parser } from 'n3'
import SHACLValidator from 'rdf-validate-shacl'

const parse = (path, format) => new Parser({ format }).parse(readFileSync(path, 'utf8'))

async function main () {
  const [shapesPath, dataPath] = process.argv.slice(2)
  const validator = new SHACLValidator(parse(shapesPath, 'text/turtle'))
  const data = validator.factory.dataset(parse(dataPath, 'application/n-triples'))
  const report = await validator.validate(data)
  const results = report.results.map((r) => ({
    focus: r.focusNode ? r.focusNode.value : '',
    path: r.path ? r.path.value : '',
    severity: r.severity ? r.severity.value : '',
    message: r.message.map((m) => m.value)
  }))
  process.stdout.write(JSON.stringify({ engine: ENGINE, conforms: report.conforms, results }))
}

main().catch((err) => { console.error(err); process.exit(1) })
