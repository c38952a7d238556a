// The offline queue: check-ins wait in IndexedDB (selfie included) until the server has
// answered. Each item keeps its client UUID, so a replay after a lost answer never duplicates.

export interface QueuedCheckin {
  client_uuid: string;
  jenis: "masuk" | "pulang";
  latitude: number;
  longitude: number;
  akurasi_m: number;
  waktu_perangkat: string;
  alasan: string;
  swafoto: Blob | null;
}

const DB_NAME = "presensi";
const STORE = "antrean";

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: "client_uuid" });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = work(tx.objectStore(STORE));
    tx.oncomplete = () => {
      db.close();
      resolve(request.result);
    };
    tx.onerror = () => reject(tx.error);
  });
}

export const queuePut = (item: QueuedCheckin) => run("readwrite", (s) => s.put(item));
export const queueDelete = (uuid: string) => run("readwrite", (s) => s.delete(uuid));
export const queueAll = () => run<QueuedCheckin[]>("readonly", (s) => s.getAll() as IDBRequest<QueuedCheckin[]>);

export function newUuid(): string {
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
