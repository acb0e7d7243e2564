/*
 * Guichet's anti-robot check: solve an ALTCHA proof-of-work in the browser.
 *
 * Markup (templates/protection/challenge_field.html):
 *   <div data-altcha data-challenge-url="..."> <input type="hidden" name="altcha">
 *     <p data-altcha-status aria-live="polite"></p> </div>
 * The script fetches a challenge, finds n such that sha256(salt + n) == challenge, then puts the
 * base64 JSON payload the server verifies into the hidden field. A submit before the end waits.
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

  // Hash numbers by batches (in parallel within a batch) until one matches the challenge.
  function solve(challenge) {
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

    function say(key) {
      status.textContent = widget.getAttribute("data-text-" + key);
      status.className = "fr-message fr-message--" + (key === "failed" ? "error" : key === "done" ? "valid" : "info");
    }

    widget.hidden = false;
    if (!window.crypto || !crypto.subtle || !window.fetch) {
      state = "failed";
      say("failed");
      return;
    }
    say("working");
    fetch(widget.getAttribute("data-challenge-url"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("challenge " + response.status);
        return response.json();
      })
      .then(function (challenge) {
        return solve(challenge).then(function (number) {
          field.value = payload(challenge, number);
        });
      })
      .then(function () {
        state = "done";
        say("done");
        if (submitWhenDone) form.requestSubmit ? form.requestSubmit() : form.submit();
      })
      .catch(function () {
        state = "failed";
        say("failed");
      });

    form.addEventListener("submit", function (event) {
      if (state === "working") {
        event.preventDefault();
        submitWhenDone = true;
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
