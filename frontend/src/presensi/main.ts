// The check-in app (PWA): today's schedule, location with accuracy, a compressed selfie, and
// one tap to check in or out. Without signal the check-in waits in the phone's queue and is
// sent, with its original time and client UUID, as soon as the phone is back online.
import "./presensi.css";
import { compress } from "./photo";
import { newUuid, queueAll, queueDelete, queuePut, type QueuedCheckin } from "./queue";

const root = document.getElementById("p-app") as HTMLElement;
const api = root.dataset.api ?? "/api/v1/presensi/";
const csrf = root.dataset.csrf ?? "";
const zone = root.dataset.zone ?? "Asia/Jakarta";
const t: Record<string, string> = JSON.parse(document.getElementById("p-i18n")?.textContent ?? "{}");
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const fmt = (template: string, ...values: string[]) => values.reduce((s, v) => s.replace("%s", v), template);

let position: GeolocationPosition | null = null;
let selfie: Blob | null = null;
let sending = false;

function say(text: string, kind: "ok" | "error" | "info" = "info"): void {
  const el = $("p-msg");
  el.textContent = text;
  el.dataset.kind = kind;
}

function clock(): void {
  const now = new Intl.DateTimeFormat("id-ID", { timeZone: zone, hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
  $("p-clock").textContent = now.format(new Date());
}

function network(): void {
  const el = $("p-net");
  el.textContent = navigator.onLine ? el.dataset.online ?? "" : el.dataset.offline ?? "";
  el.dataset.state = navigator.onLine ? "online" : "offline";
}

interface Today {
  jadwal: { masuk: string; pulang: string; nama: string } | null;
  libur: string;
  presensi: { jenis: string; waktu: string; status: string }[];
}

async function loadToday(): Promise<void> {
  try {
    const response = await fetch(`${api}hari-ini/`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const today = (await response.json()) as Today;
    $("p-jadwal").textContent = today.jadwal
      ? fmt(t.schedule, today.jadwal.masuk, today.jadwal.pulang)
      : today.libur || t.off;
    const list = $("p-today");
    list.replaceChildren(
      ...today.presensi.map((p) => {
        const li = document.createElement("li");
        const time = new Intl.DateTimeFormat("id-ID", { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(new Date(p.waktu));
        li.textContent = `${t[p.jenis] ?? p.jenis} ${time}${p.status === "perlu_tinjauan" ? " ⚠" : ""}`;
        return li;
      }),
    );
  } catch {
    // Offline: the page still works from the cache; the schedule returns with the signal.
  }
}

function locate(): void {
  if (!("geolocation" in navigator)) {
    say(t.noGeo, "error");
    return;
  }
  $("p-loc").textContent = t.locating;
  navigator.geolocation.getCurrentPosition(
    (pos) => {
      position = pos;
      $("p-loc").textContent = fmt(t.located, String(Math.round(pos.coords.accuracy)));
    },
    () => {
      $("p-loc").textContent = t.noGeo;
      say(t.noGeo, "error");
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
  );
}

async function renderQueue(): Promise<void> {
  const items = await queueAll();
  const el = $("p-queue");
  el.textContent = items.length ? `${el.dataset.label}: ${items.length}` : "";
}

type Outcome =
  | { kind: "stored"; body: { jenis: string; waktu: string; status: string; tanda: string[] } }
  | { kind: "refused"; message: string }
  | { kind: "retry"; message?: string };

const SESSION_CODES = ["not_authenticated", "authentication_failed", "permission_denied"];

async function send(item: QueuedCheckin): Promise<Outcome> {
  const form = new FormData();
  form.set("client_uuid", item.client_uuid);
  form.set("jenis", item.jenis);
  form.set("latitude", item.latitude.toFixed(7));
  form.set("longitude", item.longitude.toFixed(7));
  form.set("akurasi_m", String(item.akurasi_m));
  form.set("waktu_perangkat", item.waktu_perangkat);
  form.set("dikirim_perangkat", new Date().toISOString());
  form.set("alasan", item.alasan);
  if (item.swafoto) form.set("swafoto", item.swafoto, "swafoto.jpg");
  let response: Response;
  try {
    response = await fetch(`${api}checkin/`, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    });
  } catch {
    return { kind: "retry" };
  }
  if (response.status === 200 || response.status === 201) return { kind: "stored", body: await response.json() };
  if (response.status >= 500 || response.status === 429 || response.status === 408) return { kind: "retry" };
  const error = await response.json().catch(() => null);
  const code: string = error?.error?.code ?? "";
  // A lapsed session or a stale CSRF token is not the server refusing the check-in: keep it
  // queued until the employee signs in again.
  if (response.status === 401 || (response.status === 403 && SESSION_CODES.includes(code))) {
    return { kind: "retry", message: t.session };
  }
  return { kind: "refused", message: error?.error?.message ?? `HTTP ${response.status}` };
}

function describe(body: { jenis: string; waktu: string; status: string; tanda: string[] }): string {
  const time = new Intl.DateTimeFormat("id-ID", { timeZone: zone, hour: "2-digit", minute: "2-digit" }).format(new Date(body.waktu));
  return body.status === "perlu_tinjauan" ? fmt(t.review, body.tanda.join(", ")) : fmt(t.ok, t[body.jenis] ?? body.jenis, time);
}

let replaying = false;

async function replay(): Promise<void> {
  if (replaying || !navigator.onLine) return;
  replaying = true;
  try {
    for (const item of await queueAll()) {
      const outcome = await send(item);
      if (outcome.kind === "retry") {
        if (outcome.message) say(outcome.message, "error");
        break;
      }
      await queueDelete(item.client_uuid);
      if (outcome.kind === "stored") say(fmt(t.replayed, describe(outcome.body)), "ok");
      else say(outcome.message, "error");
    }
  } finally {
    replaying = false;
    await renderQueue();
    await loadToday();
  }
}

async function checkin(jenis: "masuk" | "pulang"): Promise<void> {
  if (sending) return;
  if (!position) {
    locate();
    say(t.noGeo, "error");
    return;
  }
  if (!selfie) {
    say(t.needSelfie, "error");
    return;
  }
  sending = true;
  document.querySelectorAll<HTMLButtonElement>("[data-jenis]").forEach((b) => (b.disabled = true));
  const item: QueuedCheckin = {
    client_uuid: newUuid(),
    jenis,
    latitude: position.coords.latitude,
    longitude: position.coords.longitude,
    akurasi_m: Math.round(position.coords.accuracy * 10) / 10,
    waktu_perangkat: new Date().toISOString(),
    alasan: ($("p-alasan") as HTMLSelectElement).value,
    swafoto: selfie,
  };
  try {
    // Queued first, so closing the app mid-request loses nothing.
    await queuePut(item);
    say(t.sending);
    const outcome = navigator.onLine ? await send(item) : ({ kind: "retry" } as Outcome);
    if (outcome.kind === "retry") {
      say(outcome.message ?? t.queued, outcome.message ? "error" : "info");
    } else {
      await queueDelete(item.client_uuid);
      if (outcome.kind === "stored") say(describe(outcome.body), "ok");
      else say(outcome.message, "error");
    }
  } finally {
    sending = false;
    document.querySelectorAll<HTMLButtonElement>("[data-jenis]").forEach((b) => (b.disabled = false));
    await renderQueue();
    await loadToday();
  }
}

$("p-locate").addEventListener("click", locate);
($("p-selfie") as HTMLInputElement).addEventListener("change", async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    selfie = await compress(file);
  } catch {
    selfie = file;
  }
  const preview = $("p-preview") as HTMLImageElement;
  preview.src = URL.createObjectURL(selfie);
  preview.hidden = false;
});
document.querySelectorAll<HTMLButtonElement>("[data-jenis]").forEach((button) =>
  button.addEventListener("click", () => void checkin(button.dataset.jenis as "masuk" | "pulang")),
);
window.addEventListener("online", () => {
  network();
  void replay();
});
window.addEventListener("offline", network);

clock();
setInterval(clock, 15000);
setInterval(() => void replay(), 30000);
network();
locate();
void loadToday();
void replay();
if ("serviceWorker" in navigator && root.dataset.sw) {
  navigator.serviceWorker.register(root.dataset.sw, { scope: "/presensi/" }).catch(() => undefined);
}
