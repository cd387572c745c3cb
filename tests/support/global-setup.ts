// Integration tests run the real production build: make sure it exists and is current.
import { buildIfNeeded } from "../../scripts/build-if-needed.js";

export default function setup() {
  buildIfNeeded();
}
