// Ignores SIGTERM, and starts two grandchildren that ignore it too: one in its process group,
// one detached in a session of its own. Reports their pids to the stack, then never ends.
const { spawn } = require('child_process')
process.on('SIGTERM', () => {})
const ignore = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"
const same = spawn(process.execPath, ['-e', ignore], { stdio: 'ignore' })
const detached = spawn(process.execPath, ['-e', ignore], { stdio: 'ignore', detached: true })
fetch(new URL('report/pids', process.env.COZY_URL), {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ pids: [process.pid, same.pid, detached.pid] })
})
setInterval(() => {}, 1000)
