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

window.htmx = htmx;
window.Alpine = Alpine;
Alpine.start();
