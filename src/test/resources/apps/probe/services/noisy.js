console.log('plain text, not JSON')
console.log(JSON.stringify({ type: 'warning', message: 'careful' }))
console.error('on stderr')
