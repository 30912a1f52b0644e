// onOperationCreate: a single self-contained node service (no dependencies), in the spirit of the
// banks app's service. It receives the created bank operation in COZY_COUCH_DOC, picks a category
// from its label, and writes it back to the stack at COZY_URL with the COZY_CREDENTIALS token.
// Logs are cozy-logger JSON lines on stdout.

const log = (type, message) =>
  console.log(JSON.stringify({ type, message, namespace: 'onOperationCreate', timestamp: new Date().toISOString() }))

const CATEGORIES = [
  { id: '400110', name: 'groceries', words: ['market', 'grocery', 'bakery', 'supermarket'] },
  { id: '400140', name: 'transport', words: ['train', 'metro', 'bus', 'fuel', 'taxi'] },
  { id: '401080', name: 'housing', words: ['rent', 'electricity', 'water', 'insurance'] },
  { id: '200110', name: 'income', words: ['salary', 'payroll', 'refund'] }
]

function categorize (label) {
  const text = (label || '').toLowerCase()
  const found = CATEGORIES.find(c => c.words.some(w => text.includes(w)))
  return found || { id: '0', name: 'uncategorized' }
}

async function main () {
  const doc = JSON.parse(process.env.COZY_COUCH_DOC || 'null')
  if (!doc || !doc._id) {
    log('warn', 'no operation in COZY_COUCH_DOC: nothing to do')
    return
  }
  const category = categorize(doc.label)
  log('info', `operation ${doc._id} "${doc.label}" (${doc.amount}) -> ${category.name}`)
  const url = new URL(`data/io.cozy.bank.operations/${encodeURIComponent(doc._id)}`, process.env.COZY_URL)
  const response = await fetch(url, {
    method: 'PUT',
    headers: {
      Authorization: `Bearer ${process.env.COZY_CREDENTIALS}`,
      'Content-Type': 'application/json'
    },
    body: JSON.stringify({ ...doc, automaticCategoryId: category.id })
  })
  if (!response.ok) {
    throw new Error(`the stack answered ${response.status} to PUT ${url.pathname}`)
  }
  log('info', `category ${category.id} saved (stack answered ${response.status})`)
}

main().catch(err => {
  log('critical', err.message)
  process.exit(1)
})
