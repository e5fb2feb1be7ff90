/// `/assets/site.js`: the pages work without it; with it, countdowns tick, hotkeys copy, and the live regions
/// of agent and run pages refresh from their fragment URL every few seconds until the fragment says it is
/// final (`data-live-final`), without reloading the page. No dependencies, nothing fetched from elsewhere.
enum Script {
    static let js = """
        "use strict";
        (function () {
          function span(ms) {
            var s = Math.max(0, Math.floor(ms / 1000));
            var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
            if (d > 0) return d + " d " + h + " h";
            if (h > 0) return h + " h " + m + " min";
            if (m > 0) return m + " min " + r + " s";
            return r + " s";
          }
          function tick() {
            var now = Date.now();
            document.querySelectorAll("[data-countdown]").forEach(function (el) {
              var at = Number(el.getAttribute("data-countdown"));
              if (at > 0) el.textContent = span(at - now);
            });
          }
          function bindCopy(root) {
            root.querySelectorAll("button[data-copy]").forEach(function (button) {
              if (button.dataset.bound) return;
              button.dataset.bound = "1";
              button.addEventListener("click", function () {
                var text = button.getAttribute("data-copy");
                var done = function () {
                  button.textContent = "Copied";
                  button.classList.add("done");
                  setTimeout(function () { button.textContent = "Copy"; button.classList.remove("done"); }, 1500);
                };
                if (navigator.clipboard && navigator.clipboard.writeText) {
                  navigator.clipboard.writeText(text).then(done, function () { button.textContent = "Select to copy"; });
                } else {
                  button.textContent = "Select to copy";
                }
              });
            });
          }
          function live(region) {
            var src = region.getAttribute("data-live-src");
            var delay = 2000;
            function final() { return region.querySelector("[data-live-final]") !== null; }
            function poll() {
              if (final()) return;
              if (document.hidden) { setTimeout(poll, delay); return; }
              fetch(src, { headers: { "Accept": "text/html" }, cache: "no-store" })
                .then(function (response) { return response.ok ? response.text() : null; })
                .then(function (html) {
                  if (html !== null) {
                    region.innerHTML = html;
                    region.setAttribute("data-live-updated", String(Date.now()));
                    bindCopy(region);
                    tick();
                  }
                  setTimeout(poll, delay);
                }, function () { setTimeout(poll, delay * 2); });
            }
            setTimeout(poll, delay);
          }
          document.addEventListener("DOMContentLoaded", function () {
            tick();
            setInterval(tick, 1000);
            bindCopy(document);
            document.querySelectorAll("[data-live-src]").forEach(live);
          });
        })();
        """

    /// `/assets/icon.svg`: a shopping bag in the accent colour.
    static let icon = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#3b5bdb"/><path d="M6 9h12l-1.1 8.4a1.6 1.6 0 0 1-1.6 1.4H8.7a1.6 1.6 0 0 1-1.6-1.4z" fill="none" stroke="#fff" stroke-width="1.8"/><path d="M9.5 9V7.5a2.5 2.5 0 0 1 5 0V9" fill="none" stroke="#fff" stroke-width="1.8"/></svg>
        """
}
