// Sends the stack everything it was given: its whole environment, argv, working directory, files and
// loaded modules.
const fs = require('fs')
const report = { env: process.env, argv: process.argv, cwd: process.cwd(), files: fs.readdirSync(process.cwd()), pid: process.pid, modules: Object.keys(require.cache) }
console.log(JSON.stringify({ type: 'info', message: 'dumping ' + Object.keys(process.env).length + ' variables' }))
fetch(new URL('probe/env', process.env.COZY_URL), {
  method: 'POST',
  headers: { Authorization: 'Bearer ' + process.env.COZY_CREDENTIALS, 'Content-Type': 'application/json' },
  body: JSON.stringify(report)
}).then(r => {
  console.log(JSON.stringify({ type: 'info', message: 'stack answered ' + r.status }))
}).catch(e => {
  console.log(JSON.stringify({ type: 'critical', message: e.message }))
  process.exit(2)
})
