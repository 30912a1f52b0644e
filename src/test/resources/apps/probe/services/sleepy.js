// Tells the stack when it starts and ends, and sleeps COZY_FIELDS.ms (default 1000) in between.
const fields = process.env.COZY_FIELDS ? JSON.parse(process.env.COZY_FIELDS) : {}
const report = (what) => fetch(new URL('report/' + what, process.env.COZY_URL), {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ job: process.env.COZY_JOB_ID, pid: process.pid, at: Date.now() })
})
report('start').then(() => setTimeout(() => report('end').then(() => process.exit(0)), fields.ms || 1000))
