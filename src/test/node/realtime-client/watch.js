// Watches one doctype of a Jobstack instance with the cozy-realtime client that cozy apps use, and
// prints one JSON line per event received: {"event": "CREATED", "doc": {...}}.
// Once its subscription is live (a probe notification came back through it), prints {"ready": true}.
// Usage: node watch.js <http://127.0.0.1:port> <instance domain> <token> <doctype>
const CozyRealtime = require('cozy-realtime').default
const WebSocket = require('ws')

const [base, domain, token, doctype] = process.argv.slice(2)

// cozy-realtime needs only this much of a cozy-client: the stack's address, the token, fetchJSON.
const stackClient = {
  uri: `http://${domain}`,
  getAccessToken: () => token,
  fetchJSON: async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { Host: domain, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body.data)
    })
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`)
  }
}
const client = { getStackClient: () => stackClient, on: () => {}, removeListener: () => {} }

// The instance's name is not resolvable here: connect to the server, naming the instance in Host.
const createWebSocket = (url, protocol) =>
  new WebSocket(url.replace(`//${domain}`, base.replace(/^http/, 'ws').replace(/^ws:/, '')), protocol, {
    headers: { Host: domain }
  })

const quiet = { debug() {}, info() {}, warn() {}, error: (...a) => console.error(...a) }
const realtime = new CozyRealtime({ client, createWebSocket, logger: quiet })
const print = line => process.stdout.write(JSON.stringify(line) + '\n')

let ready = false
for (const event of ['created', 'updated', 'deleted']) {
  realtime.subscribe(event, doctype, doc => print({ event: event.toUpperCase(), doc }))
}
realtime.subscribe('notified', doctype, doc => {
  if (doc._id === 'watch-probe') {
    if (!ready) print({ ready: true })
    ready = true
  } else {
    print({ event: 'NOTIFIED', doc })
  }
})
realtime.on('error', err => console.error('realtime error', err && err.message))

const probe = setInterval(() => {
  if (ready) return clearInterval(probe)
  realtime.sendNotification(doctype, 'watch-probe', { probe: true }).catch(e => console.error(e.message))
}, 100)

process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
