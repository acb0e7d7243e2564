/*
 * Guichet's proof-of-work solver, run in a Web Worker (one per core) by altcha.js.
 *
 * Message in: {salt, challenge, start, end}; message out: {number} (null when no number of
 * [start, end] gives sha256(salt + number) == challenge).
 *
 * SHA-256 is computed here rather than with crypto.subtle.digest, whose promise per hash made
 * the browser about 25 times slower than a Python script (docs/protection.md): the salt's whole
 * 64-byte blocks are hashed once, then each number only costs its last block or two, compared as
 * words without writing hexadecimal. The faster the person's browser, the more work the server
 * can ask of a robot for the same wait (guichet/protection/difficulty.py).
 */
"use strict";

var K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
var INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
var W = new Int32Array(64);

// One SHA-256 compression of the 16 big-endian words at words[offset…] into state.
function compress(state, words, offset) {
  var i, x, y, t1, t2;
  for (i = 0; i < 16; i++) W[i] = words[offset + i];
  for (i = 16; i < 64; i++) {
    x = W[i - 15];
    y = W[i - 2];
    W[i] =
      (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) +
      W[i - 7] +
      (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) +
      W[i - 16] | 0;
  }
  var a = state[0], b = state[1], c = state[2], d = state[3];
  var e = state[4], f = state[5], g = state[6], h = state[7];
  for (i = 0; i < 64; i++) {
    t1 =
      h +
      (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) +
      ((e & f) ^ (~e & g)) +
      K[i] +
      W[i] | 0;
    t2 =
      (((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) +
      ((a & b) ^ (a & c) ^ (b & c)) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

function wordsOf(bytes, count) {
  var words = new Int32Array(count);
  for (var i = 0; i < count; i++) {
    var j = i * 4;
    words[i] = (bytes[j] << 24) | (bytes[j + 1] << 16) | (bytes[j + 2] << 8) | bytes[j + 3];
  }
  return words;
}

function search(salt, challenge, start, end) {
  var saltBytes = new TextEncoder().encode(salt);
  var whole = saltBytes.length - (saltBytes.length % 64);
  var mid = new Int32Array(INITIAL);
  var head = wordsOf(saltBytes, whole / 4);
  for (var offset = 0; offset < whole / 4; offset += 16) compress(mid, head, offset);
  var tailLength = saltBytes.length - whole;
  var tail = new Uint8Array(128); // the last block or two: salt's rest, digits, padding, length
  tail.set(saltBytes.subarray(whole));
  var target = new Int32Array(8);
  for (var t = 0; t < 8; t++) target[t] = parseInt(challenge.substr(t * 8, 8), 16) | 0;
  var words = new Int32Array(32);
  var state = new Int32Array(8);
  for (var n = start; n <= end; n++) {
    var digits = String(n);
    var length = tailLength + digits.length; // bytes of the message in these blocks
    var blocks = length + 9 <= 64 ? 1 : 2;
    var i;
    for (i = 0; i < digits.length; i++) tail[tailLength + i] = digits.charCodeAt(i);
    tail[length] = 0x80;
    for (i = length + 1; i < blocks * 64; i++) tail[i] = 0;
    var bits = (saltBytes.length + digits.length) * 8; // salts are far below 2^32 bits
    var last = blocks * 64;
    tail[last - 4] = bits >>> 24;
    tail[last - 3] = (bits >>> 16) & 0xff;
    tail[last - 2] = (bits >>> 8) & 0xff;
    tail[last - 1] = bits & 0xff;
    for (i = 0; i < blocks * 16; i++) {
      var j = i * 4;
      words[i] = (tail[j] << 24) | (tail[j + 1] << 16) | (tail[j + 2] << 8) | tail[j + 3];
    }
    state.set(mid);
    compress(state, words, 0);
    if (blocks === 2) compress(state, words, 16);
    if (
      state[0] === target[0] && state[1] === target[1] && state[2] === target[2] &&
      state[3] === target[3] && state[4] === target[4] && state[5] === target[5] &&
      state[6] === target[6] && state[7] === target[7]
    ) {
      return n;
    }
  }
  return null;
}

self.onmessage = function (event) {
  var job = event.data;
  self.postMessage({ number: search(job.salt, job.challenge, job.start, job.end) });
};
