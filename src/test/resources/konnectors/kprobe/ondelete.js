fetch(new URL('probe/ondelete', process.env.COZY_URL), { method: 'POST', body: process.env.COZY_FIELDS })
  .then(() => process.exit(0))
