console.log(JSON.stringify({ type: 'error', message: 'something went wrong' }))
process.exit(3)
