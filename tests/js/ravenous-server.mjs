// The real binary for the JavaScript tests: a temporary directory, a free port on 127.0.0.1, a
// YAML config with the owner and the given appservice registrations; start() returns once
// GET /_matrix/client/versions answers. The binary is $RAVENOUS_BINARY; KEEP_SERVER_DIR=1
// keeps the directory (server.log is in it).

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const serverName = 'test.local';
export const owner = `@owner:${serverName}`;
export const password = 'owner-password-1';

const startMs = 20000;

// A port that was free a moment ago (the server or a listener of the test binds it next).
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
        srv.on('error', reject);
    });
}

// A JSON request to the server: { status, body } (body parsed, {} when empty).
export async function request(baseUrl, method, target, body, token) {
    const res = await fetch(baseUrl + target, {
        method,
        headers: {
            'Content-Type': 'application/json',
            ...(token ? { Authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : {} };
}

// The same, asserting a 200; resolves to the parsed body.
export async function call(baseUrl, method, target, body, token) {
    const res = await request(baseUrl, method, target, body, token);
    assert.equal(res.status, 200, `${method} ${target} -> ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
}

// `appservices`: { id: registration YAML text }. Resolves to { baseUrl, dir, stop() }.
export async function startRavenous({ prefix = 'ravenous-js-', appservices = {} } = {}) {
    const binary = process.env.RAVENOUS_BINARY;
    assert.ok(binary, 'set RAVENOUS_BINARY');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    fs.mkdirSync(path.join(dir, 'appservices'));
    const files = Object.entries(appservices).map(([id, yaml]) => {
        const file = path.join(dir, 'appservices', `${id}.yaml`);
        fs.writeFileSync(file, yaml);
        return file;
    });
    fs.writeFileSync(path.join(dir, 'config.yaml'), `server_name: "${serverName}"
listen: "127.0.0.1:${port}"
database_path: "${path.join(dir, 'ravenous.db')}"
media_store_path: "${path.join(dir, 'media')}"
log_level: "warn"
admin_token: "admin-secret"
owner:
  user_id: "${owner}"
  password: "${password}"
app_service_config_files: [${files.map((f) => `"${f}"`).join(', ')}]
`);
    const log = fs.openSync(path.join(dir, 'server.log'), 'a');
    const server = spawn(binary, ['--config', path.join(dir, 'config.yaml')], {
        cwd: dir,
        stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    const exited = new Promise((resolve) => server.once('exit', resolve));

    async function stop() {
        if (server.exitCode === null && server.signalCode === null) {
            server.kill('SIGTERM');
            await exited;
        }
        if (!process.env.KEEP_SERVER_DIR) fs.rmSync(dir, { recursive: true, force: true });
    }

    const deadline = Date.now() + startMs;
    for (;;) {
        try {
            const res = await fetch(baseUrl + '/_matrix/client/versions');
            if (res.status === 200) break;
        } catch {
            // not listening yet
        }
        if (Date.now() > deadline || server.exitCode !== null) {
            const tail = fs.readFileSync(path.join(dir, 'server.log'), 'utf8').slice(-2000);
            await stop();
            throw new Error(`ravenous did not start:\n${tail}`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    return { baseUrl, dir, stop };
}
