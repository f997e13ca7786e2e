/* DaPortal: proof-of-work solver, run in a Web Worker so the form stays responsive.
   Finds n in [0, maxnumber] with SHA-256(salt + n) = challenge (hex). Plain JavaScript SHA-256:
   synchronous hashing is much faster here than a promise per attempt. */
'use strict';

var K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
]);
var W = new Uint32Array(64);

function sha256(bytes) {
  var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
  var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
  var length = bytes.length;
  var blocks = ((length + 9 + 63) >> 6);
  var data = new Uint8Array(blocks * 64);
  data.set(bytes);
  data[length] = 0x80;
  var bits = length * 8;
  data[data.length - 4] = (bits >>> 24) & 255;
  data[data.length - 3] = (bits >>> 16) & 255;
  data[data.length - 2] = (bits >>> 8) & 255;
  data[data.length - 1] = bits & 255;
  for (var b = 0; b < blocks; b++) {
    var o = b * 64, i;
    for (i = 0; i < 16; i++) {
      W[i] = (data[o + i * 4] << 24) | (data[o + i * 4 + 1] << 16) | (data[o + i * 4 + 2] << 8) | data[o + i * 4 + 3];
    }
    for (i = 16; i < 64; i++) {
      var x = W[i - 15], y = W[i - 2];
      var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16] + s0 + W[i - 7] + s1) | 0;
    }
    var a = h0, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7, bb = h1;
    for (i = 0; i < 64; i++) {
      var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[i] + W[i]) | 0;
      var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      var t2 = (S0 + ((a & bb) ^ (a & c) ^ (bb & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = bb; bb = a; a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0; h1 = (h1 + bb) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
  }
  return [h0, h1, h2, h3, h4, h5, h6, h7];
}

function hexToWords(hex) {
  var words = [];
  for (var i = 0; i < 64; i += 8) { words.push(parseInt(hex.substr(i, 8), 16) | 0); }
  return words;
}

self.onmessage = function (event) {
  var c = event.data;
  var target = hexToWords(c.challenge);
  var salt = new TextEncoder().encode(c.salt);
  var started = Date.now();
  for (var n = 0; n <= c.maxnumber; n++) {
    var digits = String(n);
    var input = new Uint8Array(salt.length + digits.length);
    input.set(salt);
    for (var j = 0; j < digits.length; j++) { input[salt.length + j] = digits.charCodeAt(j); }
    var hash = sha256(input);
    if (hash[0] === target[0] && hash[1] === target[1] && hash[2] === target[2] && hash[3] === target[3] &&
        hash[4] === target[4] && hash[5] === target[5] && hash[6] === target[6] && hash[7] === target[7]) {
      self.postMessage({ number: n, took: Date.now() - started });
      return;
    }
  }
  self.postMessage({ number: null, took: Date.now() - started });
};
