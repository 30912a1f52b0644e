// Counts its own runs, independently of Jobstack: each run writes <job>.<pid>.start into the
// test's folder COZY_FIELDS.dir as it begins and <job>.<pid>.end as it ends (also when stopped by
// SIGTERM; a SIGKILL leaves no end). Each record names the job, the Jobstack node that ran it
// (CLUSTER_NODE, from the node's jobstack.exec.extra-env), the pids and the trigger, if any.
// It sleeps COZY_FIELDS.ms (default 0) between the two, then exits with COZY_FIELDS.exit (default 0).
const fs = require('fs')
const path = require('path')
const fields = process.env.COZY_FIELDS ? JSON.parse(process.env.COZY_FIELDS) : {}
const job = (process.env.COZY_JOB_ID || '').split('/').pop()
const run = {
  job,
  node: process.env.CLUSTER_NODE || '',
  pid: process.pid,
  ppid: process.ppid,
  trigger: process.env.COZY_TRIGGER_ID || ''
}
const record = (what, extra) => fs.writeFileSync(
  path.join(fields.dir, job + '.' + process.pid + '.' + what),
  JSON.stringify(Object.assign({}, run, extra, { at: Date.now() })))
record('start')
process.on('SIGTERM', () => {
  record('end', { signal: 'SIGTERM' })
  process.exit(143)
})
setTimeout(() => {
  record('end', { exit: fields.exit || 0 })
  process.exit(fields.exit || 0)
}, fields.ms || 0)
