// Fails until the stack has been asked COZY_FIELDS.succeedAt times for this job (default 2).
const fields = process.env.COZY_FIELDS ? JSON.parse(process.env.COZY_FIELDS) : {}
const succeedAt = fields.succeedAt || 2
fetch(new URL('count/' + process.env.COZY_JOB_ID, process.env.COZY_URL), { method: 'POST' })
  .then(r => r.json())
  .then(({ count }) => {
    console.log(JSON.stringify({ type: 'info', message: 'attempt ' + count }))
    process.exit(count >= succeedAt ? 0 : 1)
  })
