// Starts children that sleep, as many as it can, up to 1 000; each gets its own session, out of
// the job's process group. Exits 1 when a spawn is refused (EAGAIN), 0 if all 1 000 started.
const { spawn } = require('child_process')
let started = 0
function next() {
  if (started === 1000) process.exit(0)
  const child = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' })
  child.on('error', (e) => {
    console.log(JSON.stringify({ type: 'error', message: 'spawn refused after ' + started + ': ' + e.code }))
    process.exit(1)
  })
  child.on('spawn', () => { started++; next() })
}
next()
