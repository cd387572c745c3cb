// Renders documents on the server: in the detected language (one i18next instance per language), with the CSP and its nonce.
// Every other security header is the edge guard's (edge/rules.js, defaultResponseHeaders).

import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance, type i18n } from "i18next";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { BUSY_RETRY_AFTER_SECONDS } from "~/db/write.server";
import { startDormantSweeps } from "~/dormant/scheduler.server";
import config from "~/i18n/config";
import { i18next } from "~/i18n/i18next.server";
import { resources } from "~/i18n/resources.server";
import { contentSecurityPolicy, createNonce } from "~/lib/content-security-policy.server";
import { htmlBodyStream } from "~/lib/html-stream.server";
import { NonceContext } from "~/lib/nonce";

const ABORT_DELAY_MS = 5_000;

/**
 * The i18next instances pages render with, one per language and set of namespaces, built on first use. Building one
 * per request, as remix-i18next's example does, cost about a millisecond a page; the resources are bundled and never
 * change, and rendering only reads an instance (nothing on the server calls changeLanguage), so requests share them.
 */
const instances = new Map<string, Promise<i18n>>();

function instanceFor(lng: string, ns: string[]): Promise<i18n> {
  const key = `${lng}|${ns.join(",")}`;
  let instance = instances.get(key);
  if (!instance) {
    const created = createInstance();
    instance = created
      .use(initReactI18next)
      .init({ ...config, lng, ns, resources })
      .then(() => created);
    instances.set(key, instance);
  }
  return instance;
}

// The server build is loaded once per process: the dormant-account sweep's schedule starts with it.
startDormantSweeps();

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  const lng = await i18next.getLocale(request);
  const instance = await instanceFor(lng, i18next.getRouteNamespaces(remixContext));

  const readyEvent = isbot(request.headers.get("user-agent")) ? "onAllReady" : "onShellReady";
  const nonce = createNonce();
  const devOrigin = process.env.NODE_ENV === "development" ? process.env.REMIX_DEV_ORIGIN : undefined;

  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY_MS} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        [readyEvent]() {
          shellRendered = true;
          const body = htmlBodyStream();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          // A page's 503 is a database that could not take a write (app/db/write.server.ts): Remix keeps a thrown
          // response's headers only for routes that pass them on, so a retry hint is set here for every page.
          if (responseStatusCode === 503 && !responseHeaders.has("Retry-After")) {
            responseHeaders.set("Retry-After", String(BUSY_RETRY_AFTER_SECONDS));
          }
          responseHeaders.set("Content-Security-Policy", contentSecurityPolicy(nonce, devOrigin));
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors after the shell are logged here; before it, onShellError rejects.
          if (shellRendered) console.error(error);
        },
      },
    );
    // unref(): a pending abort timer must not keep the process alive after the last render on shutdown.
    setTimeout(abort, ABORT_DELAY_MS).unref();
  });
}
