// A konnector whose behaviour is chosen by its job message (COZY_FIELDS.mode).
const fs = require('fs')
const fields = JSON.parse(process.env.COZY_FIELDS || '{}')
const log = (type, message, extra) => console.log(JSON.stringify({ type, message, ...extra }))
const send = (path, body) => fetch(new URL(path, process.env.COZY_URL), {
  method: 'POST',
  headers: { Authorization: 'Bearer ' + process.env.COZY_CREDENTIALS, 'Content-Type': 'application/json' },
  body: JSON.stringify(body)
})
switch (fields.mode) {
  case 'dump':
    send('probe/konnector', { env: process.env, argv: process.argv, files: fs.readdirSync('.') }).then(() => process.exit(0))
    break
  case 'error':
    log('error', 'VENDOR_DOWN')
    break
  case 'critical':
    log('error', 'something odd')
    log('critical', 'CHALLENGE_ASKED')
    process.exit(1)
    break
  case 'login':
    log('critical', 'LOGIN_FAILED.WRONG_PASSWORD')
    process.exit(1)
    break
  case 'action':
    log('critical', 'USER_ACTION_NEEDED.ACCOUNT_REMOVED')
    process.exit(1)
    break
  case 'noretry':
    log('error', 'GIVE_UP', { no_retry: true })
    process.exit(1)
    break
  case 'exit2':
    process.exit(2)
    break
  default:
    log('info', 'nothing to do')
}
