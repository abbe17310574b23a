// HTTPS with the certificate and key the test harness made (signed by a CA of its own, which
// clients verify), or plain HTTP when none is given.
import fs from "node:fs";
import http from "node:http";
import https from "node:https";

export function createServer(app, {cert, key}) {
    if (!cert) return {server: http.createServer(app), scheme: "http"};
    const options = {cert: fs.readFileSync(cert), key: fs.readFileSync(key), minVersion: "TLSv1.2"};
    return {server: https.createServer(options, app), scheme: "https"};
}
