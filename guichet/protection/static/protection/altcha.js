/*
 * Guichet's anti-robot check: solve an ALTCHA proof-of-work in the browser.
 *
 * Markup (templates/protection/challenge_field.html):
 *   <div data-altcha data-challenge-url="..." data-worker-url="...">
 *     <input type="hidden" name="altcha"> <p data-altcha-status aria-live="polite"></p> </div>
 * The script fetches a challenge, finds n such that sha256(salt + n) == challenge, then puts the
 * base64 JSON payload the server verifies into the hidden field. A submit before the end waits.
 * The search runs in Web Workers, one per core (altcha-worker.js), each on its share of the
 * numbers; without workers, crypto.subtle on the page. A challenge lives a few minutes: a submit
 * after that fetches and solves a new one first, then sends.
 */
(function () {
  "use strict";

  var BATCH = 500;

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (byte) {
        return byte.toString(16).padStart(2, "0");
      })
      .join("");
  }

  function sha256(text) {
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)).then(hex);
  }

  var MAX_WORKERS = 8;
  // Fetch a new challenge this long before the server would find the solved one expired.
  var MARGIN_MS = 30000;
  var DEFAULT_LIFETIME_MS = 5 * 60000;

  // Hash numbers by batches (in parallel within a batch) until one matches the challenge.
  function solveOnPage(challenge) {
    function batchFrom(start) {
      if (start > challenge.maxNumber) {
        return Promise.reject(new Error("no solution"));
      }
      var numbers = [];
      for (var n = start; n < start + BATCH && n <= challenge.maxNumber; n++) {
        numbers.push(n);
      }
      return Promise.all(
        numbers.map(function (n) {
          return sha256(challenge.salt + n);
        })
      ).then(function (hashes) {
        var found = hashes.indexOf(challenge.challenge);
        return found >= 0 ? numbers[found] : batchFrom(start + BATCH);
      });
    }
    return batchFrom(0);
  }

  // Split [0, maxNumber] between one worker per core; the first to find the number wins.
  function solveInWorkers(challenge, workerUrl) {
    var count = Math.max(1, Math.min(MAX_WORKERS, navigator.hardwareConcurrency || 2));
    var share = Math.ceil((challenge.maxNumber + 1) / count);
    var workers = [];
    return new Promise(function (resolve, reject) {
      var pending = count;
      function stop() {
        workers.forEach(function (worker) {
          worker.terminate();
        });
      }
      for (var i = 0; i < count; i++) {
        var worker;
        try {
          worker = new Worker(workerUrl);
        } catch (error) {
          stop();
          reject(error);
          return;
        }
        workers.push(worker);
        worker.onmessage = function (event) {
          pending -= 1;
          if (event.data.number !== null) {
            stop();
            resolve(event.data.number);
          } else if (pending === 0) {
            stop();
            reject(new Error("no solution"));
          }
        };
        worker.onerror = function (event) {
          event.preventDefault();
          stop();
          reject(new Error("worker failed"));
        };
        worker.postMessage({
          salt: challenge.salt,
          challenge: challenge.challenge,
          start: i * share,
          end: Math.min(challenge.maxNumber, (i + 1) * share - 1),
        });
      }
    });
  }

  function solve(challenge, workerUrl) {
    if (!workerUrl || typeof Worker === "undefined") return solveOnPage(challenge);
    return solveInWorkers(challenge, workerUrl).catch(function (error) {
      if (error.message === "no solution") throw error;
      return solveOnPage(challenge); // workers refused (policy, old browser): on the page
    });
  }

  // How long the challenge is accepted, by the server's own clock: its expiry, written in the
  // salt, against the Date of the response (the device's clock may be wrong).
  function lifetimeOf(challenge, response) {
    var match = /[?&]expires=(\d+)/.exec(challenge.salt);
    var now = Date.parse(response.headers.get("Date") || "");
    if (!match || isNaN(now)) return DEFAULT_LIFETIME_MS;
    return Number(match[1]) * 1000 - now;
  }

  function payload(challenge, number) {
    return btoa(
      JSON.stringify({
        algorithm: challenge.algorithm,
        challenge: challenge.challenge,
        number: number,
        salt: challenge.salt,
        signature: challenge.signature,
      })
    );
  }

  function setUp(widget) {
    var field = widget.querySelector('input[name="altcha"]');
    var status = widget.querySelector("[data-altcha-status]");
    var form = widget.closest("form");
    var state = "working";
    var submitWhenDone = false;
    var fetchedAt = 0;
    var lifetime = DEFAULT_LIFETIME_MS;

    function say(key) {
      status.textContent = widget.getAttribute("data-text-" + key);
      status.className = "fr-message fr-message--" + (key === "failed" ? "error" : key === "done" ? "valid" : "info");
    }

    function send() {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }

    function start() {
      state = "working";
      field.value = "";
      say(submitWhenDone ? "waiting" : "working");
      fetchedAt = Date.now();
      fetch(widget.getAttribute("data-challenge-url"), { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error("challenge " + response.status);
          return response.json().then(function (challenge) {
            lifetime = lifetimeOf(challenge, response);
            return challenge;
          });
        })
        .then(function (challenge) {
          return solve(challenge, widget.getAttribute("data-worker-url")).then(function (number) {
            field.value = payload(challenge, number);
          });
        })
        .then(function () {
          state = "done";
          say("done");
          if (submitWhenDone) send();
        })
        .catch(function () {
          state = "failed";
          say("failed");
        });
    }

    widget.hidden = false;
    if (!window.crypto || !crypto.subtle || !window.fetch || !window.Promise) {
      state = "failed";
      say("failed");
      return;
    }
    start();

    form.addEventListener("submit", function (event) {
      var stale = state === "done" && Date.now() - fetchedAt > lifetime - MARGIN_MS;
      if (state === "working" || stale) {
        event.preventDefault();
        submitWhenDone = true;
        if (stale) start();
        say("waiting");
      }
    });
    // Sending is possible from now on: a submit before the end waits for the check.
    form.querySelectorAll("[data-altcha-submit]").forEach(function (button) {
      button.disabled = false;
    });
  }

  document.querySelectorAll("[data-altcha]").forEach(setUp);
})();
