// Watches one doctype of a Jobstack instance with the cozy-realtime client that cozy apps use, and
// prints one JSON line per event received: {"event": "CREATED", "doc": {...}}.
// Once its subscription is live (a probe notification came back through it), prints {"ready": true}.
// Usage: node watch.js <http://127.0.0.1:port> <instance domain> <token> <doctype>
const http = require('http')
const WebSocket = require('ws')
// cozy-realtime expects a browser's WebSocket; on node, ws plays that part
globalThis.WebSocket = WebSocket
const CozyRealtime = require('cozy-realtime').default

const [base, domain, token, doctype] = process.argv.slice(2)

// cozy-realtime needs only this much of a cozy-client: the stack's address, the token, fetchJSON.
const stackClient = {
  uri: `http://${domain}`,
  getAccessToken: () => token,
  // With node's http rather than fetch, which does not let a Host header through
  fetchJSON: (method, path, body) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        base + path,
        { method, headers: { Host: domain, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } },
        res => {
          res.resume()
          res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${path}: ${res.statusCode}`))))
        }
      )
      req.on('error', reject)
      req.end(JSON.stringify(body.data))
    })
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
