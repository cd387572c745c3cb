// Opens a test server's database file directly, to check what a request really stored.
import Database from "better-sqlite3";

export function withDatabase<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  try {
    return read(db);
  } finally {
    db.close();
  }
}
