// A stand-in for the cozy-stack, for trying Jobstack without one: it accepts every request,
// prints what it received (method, path, token audience/subject, body) and answers 200 with the
// body echoed. Usage: node examples/fake-stack.js [port]   (default 8081, loopback only)
const http = require('http')

const port = Number(process.argv[2] || 8081)

function claims (authorization) {
  const token = (authorization || '').replace(/^Bearer /, '')
  try {
    return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString())
  } catch (e) {
    return null
  }
}

http.createServer((req, res) => {
  let body = ''
  req.on('data', chunk => { body += chunk })
  req.on('end', () => {
    const c = claims(req.headers.authorization)
    const who = c ? `token aud=${c.aud} sub=${c.sub} iss=${c.iss}` : 'no token'
    console.log(`${req.method} ${req.url} (${who})`)
    if (body) console.log(`  ${body}`)
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(body || '{}')
  })
}).listen(port, '127.0.0.1', () => console.log(`fake stack listening on http://127.0.0.1:${port}/`))
