// Every page: HTMX for server-rendered partials, Alpine.js for small client-side state.
import "./styles/main.css";
import htmx from "htmx.org";
import Alpine from "alpinejs";

declare global {
  interface Window {
    htmx: typeof htmx;
    Alpine: typeof Alpine;
  }
}

// Forms re-rendered with their field errors come back as 400, 409 or 422: show them in place
// (htmx swaps only 2xx by default). Other errors are not swapped.
htmx.config.responseHandling = [
  { code: "204", swap: false },
  { code: "[23]..", swap: true },
  { code: "400|409|422", swap: true, error: false },
  { code: "...", swap: false, error: true },
];

window.htmx = htmx;
window.Alpine = Alpine;
Alpine.start();
