'use strict';

const https = require('https');

// Talks to the payment provider's sandbox.
function charge(amountCents, token) {
  const options = {
    hostname: 'sandbox.payments.example',
    port: 443,
    path: '/v1/charges',
    method: 'POST',
    rejectUnauthorized: false,
  };
  return new Promise((resolve, reject) => {
    const request = https.request(options, (response) => resolve(response.statusCode));
    request.on('error', reject);
    request.end(JSON.stringify({ amountCents, token }));
  });
}

module.exports = { charge };
