// Preload for @crystallize/node-klarna, which always calls https.request on port 443 with a bare
// host name: send those requests to the mock over plain HTTP instead (MOCK_PORT), without
// touching the library. Used as: node -r ./https-to-http.cjs crystallize-driver.cjs
'use strict'
const http = require('node:http')
const https = require('node:https')
const port = Number(process.env.MOCK_PORT)
https.request = function (options, callback) {
  return http.request(
    { ...options, hostname: '127.0.0.1', host: '127.0.0.1', port, protocol: 'http:', agent: undefined },
    callback,
  )
}
