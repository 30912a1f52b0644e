setInterval(() => {}, 1000) // runs until it is stopped
