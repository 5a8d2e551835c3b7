// Validates homeserver responses against the Matrix spec's OpenAPI descriptions.
//
//   node spec-validator.mjs <spec-dir>               line protocol on stdin/stdout (below)
//   node spec-validator.mjs --self-check <spec-dir>  compile every response schema, validate
//                                                    every embedded example, print the counts
//
// <spec-dir> is a matrix-spec checkout (it holds data/api/client-server/*.yaml).
// Protocol: one JSON request per line,
//   {"method":"GET","path":"/_matrix/client/v3/...","status":200,"body":{...}}
// (path without the query string; no "body" key when the body is not JSON), one JSON answer per
// line, in order:
//   {"ok":true,"schema":true}                     the body matches the documented schema
//   {"ok":false,"schema":true,"errors":["..."]}   it does not
//   {"ok":false,"schema":false,"errors":["..."]}  a 2xx status the spec does not document
//   {"ok":true,"skipped":"...","schema":false}    nothing to check against: a status or content
//       without a JSON schema, or ("endpoint":false) no such method + path in the spec; the
//       caller may apply its own generic checks
// The C++ side (tests/support/spec_validator.cpp) spawns one of these per test process.

import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import $RefParser from '@apidevtools/json-schema-ref-parser';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const MATRIX_FORMATS = ['mx-user-id', 'mx-room-id', 'mx-room-alias', 'mx-event-id',
    'mx-server-name', 'mx-mxc-uri'];
const MAX_ERRORS = 20;

// js-yaml 4 explicitly: js-yaml 5 rejects some of the spec's files.
const yamlParser = {
    order: 100,
    canParse: ['.yaml', '.yml', '.json'],
    parse: (file) => yaml.load(file.data.toString()),
};

function makeAjv() {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
    addFormats(ajv);
    for (const name of MATRIX_FORMATS) ajv.addFormat(name, true);
    return ajv;
}

// Registers a no-op format for every format name used in `schema` that ajv does not know.
function addUnknownFormats(ajv, schema, seen = new Set()) {
    if (schema === null || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    if (typeof schema.format === 'string' && schema.format && !ajv.formats[schema.format]) {
        ajv.addFormat(schema.format, true);
    }
    for (const value of Object.values(schema)) addUnknownFormats(ajv, value, seen);
}

function templateRegex(template, lenientTail) {
    const parts = template.split('/').map((segment) => {
        if (/^\{[^}]+\}$/.test(segment)) return '[^/]+';
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{[^}]+\\\}/g, '[^/]+');
    });
    let source = parts.join('/');
    // A trailing {param} may be empty or absent (e.g. state events with an empty state key).
    if (lenientTail && /\/\{[^}]+\}$/.test(template)) {
        source = parts.slice(0, -1).join('/') + '(?:/[^/]*)?';
    }
    return new RegExp(`^${source}$`);
}

// What a homeserver serves (client-server) and what it sends to appservices (application-service,
// whose /_matrix/app/v1 paths cannot collide with the client ones).
const API_DIRS = ['client-server', 'application-service'];

// Reads every file's paths (a plain YAML parse); each file's $refs are dereferenced on first use,
// so a test process pays only for the endpoints it calls.
function loadSpec(specDir) {
    const endpoints = [];
    for (const api of API_DIRS) {
        const apiDir = path.join(specDir, 'data', 'api', api);
        for (const name of fs.readdirSync(apiDir).filter((f) => f.endsWith('.yaml')).sort()) {
            const file = { label: `${api}/${name}`, path: path.join(apiDir, name), loaded: null };
            addEndpoints(endpoints, file, yaml.load(fs.readFileSync(file.path, 'utf8')));
        }
    }
    return endpoints;
}

function addEndpoints(endpoints, file, doc) {
    const basePath = doc.servers?.[0]?.variables?.basePath?.default ?? '';
    for (const [suffix, item] of Object.entries(doc.paths ?? {})) {
        const template = basePath + suffix;
        const literals = template.split('/').filter((s) => s && !s.includes('{')).length;
        for (const method of METHODS) {
            if (!item?.[method]) continue;
            endpoints.push({
                file, suffix, template, literals, method: method.toUpperCase(),
                strict: templateRegex(template, false), lenient: templateRegex(template, true),
                responses: null, compiled: new Map(),
            });
        }
    }
}

// Fills endpoint.responses with the dereferenced response objects of its file.
async function resolveResponses(endpoint) {
    if (endpoint.responses) return endpoint.responses;
    const file = endpoint.file;
    file.loaded ??= $RefParser.dereference(file.path, {
        parse: { yaml: yamlParser },
        resolve: { http: false },
        dereference: { circular: 'ignore' },
    });
    const doc = await file.loaded;
    endpoint.responses = doc.paths[endpoint.suffix][endpoint.method.toLowerCase()].responses ?? {};
    return endpoint.responses;
}

function normalise(requestPath) {
    return requestPath.replace(/^\/_matrix\/client\/r0\//, '/_matrix/client/v3/');
}

function findEndpoint(endpoints, method, requestPath) {
    const p = normalise(requestPath);
    for (const key of ['strict', 'lenient']) {
        const matches = endpoints.filter((e) => e.method === method && e[key].test(p));
        if (matches.length) return matches.sort((a, b) => b.literals - a.literals)[0];
    }
    return null;
}

function jsonSchemaOf(response) {
    return response?.content?.['application/json']?.schema;
}

function compile(ajv, endpoint, status) {
    if (!endpoint.compiled.has(status)) {
        const schema = jsonSchemaOf(endpoint.responses[status]);
        if (schema) addUnknownFormats(ajv, schema);
        endpoint.compiled.set(status, schema ? ajv.compile(schema) : null);
    }
    return endpoint.compiled.get(status);
}

function describeErrors(errors) {
    return (errors ?? []).slice(0, MAX_ERRORS).map((e) => {
        const hasParams = e.params && Object.keys(e.params).length;
        const params = hasParams ? ` ${JSON.stringify(e.params)}` : '';
        return `${e.instancePath || '(root)'} ${e.message}${params} [schema ${e.schemaPath}]`;
    });
}

async function check(ajv, endpoints, request) {
    const method = String(request.method ?? '').toUpperCase();
    const requestPath = String(request.path ?? '').split('?')[0];
    const status = String(request.status);
    const endpoint = findEndpoint(endpoints, method, requestPath);
    if (!endpoint) {
        const skipped = `no schema for ${method} ${requestPath}`;
        return { ok: true, skipped, schema: false, endpoint: false };
    }
    const where = `${method} ${endpoint.template} (${endpoint.file.label})`;
    await resolveResponses(endpoint);
    const key = status in endpoint.responses ? status : `${status[0]}XX`;
    if (!endpoint.responses[key]) {
        const documented = Object.keys(endpoint.responses).join(', ');
        if (status.startsWith('2')) {
            const error = `status ${status} is not documented for ${where}; ` +
                `documented: ${documented}`;
            return { ok: false, schema: false, errors: [error] };
        }
        return { ok: true, skipped: `status ${status} not documented for ${where}`, schema: false };
    }
    const validate = compile(ajv, endpoint, key);
    if (!validate) {
        return { ok: true, skipped: `no JSON schema for ${status} of ${where}`, schema: false };
    }
    if (!('body' in request)) {
        const error = `${where} → ${status}: the body is not JSON, ` +
            'the spec documents a JSON schema';
        return { ok: false, schema: true, errors: [error] };
    }
    if (validate(request.body)) return { ok: true, schema: true };
    const errors = [`${where} → ${status}:`, ...describeErrors(validate.errors)];
    return { ok: false, schema: true, errors };
}

function examplesOf(response) {
    const media = response?.content?.['application/json'];
    if (!media) return [];
    const out = [];
    if (media.example !== undefined) out.push(media.example);
    for (const ex of Object.values(media.examples ?? {})) {
        if (ex?.value !== undefined) out.push(ex.value);
    }
    return out.map((v) => (typeof v === 'string' ? JSON.parse(v) : v));
}

async function selfCheck(specDir) {
    const started = Date.now();
    const ajv = makeAjv();
    const endpoints = loadSpec(specDir);
    let schemas = 0, examples = 0;
    const failures = [];
    for (const endpoint of endpoints) {
        for (const [status, response] of Object.entries(await resolveResponses(endpoint))) {
            if (!jsonSchemaOf(response)) continue;
            let validate;
            try {
                validate = compile(ajv, endpoint, status);
                schemas++;
            } catch (e) {
                const where = `${endpoint.method} ${endpoint.template} ${status}`;
                failures.push(`compile ${where}: ${e.message}`);
                continue;
            }
            for (const example of examplesOf(response)) {
                examples++;
                if (!validate(example)) {
                    failures.push(`example ${endpoint.method} ${endpoint.template} ${status}: ` +
                        describeErrors(validate.errors).join('; '));
                }
            }
        }
    }
    console.log(`endpoints: ${endpoints.length}`);
    console.log(`response schemas compiled: ${schemas}`);
    console.log(`embedded examples validated: ${examples}`);
    console.log(`failures: ${failures.length}`);
    for (const f of failures) console.log(`  ${f}`);
    console.log(`took ${Date.now() - started} ms`);
    return failures.length === 0;
}

async function serve(specDir) {
    const ajv = makeAjv();
    const endpoints = loadSpec(specDir);
    const rl = readline.createInterface({ input: process.stdin, terminal: false });
    // One line at a time: answers come back strictly in request order.
    for await (const line of rl) {
        if (!line.trim()) continue;
        let answer;
        try {
            answer = await check(ajv, endpoints, JSON.parse(line));
        } catch (e) {
            answer = { ok: false, errors: [`validator error: ${e.message}`] };
        }
        process.stdout.write(`${JSON.stringify(answer)}\n`);
    }
}

const args = process.argv.slice(2);
if (args[0] === '--self-check' && args[1]) {
    process.exitCode = (await selfCheck(args[1])) ? 0 : 1;
} else if (args.length === 1) {
    await serve(args[0]);
} else {
    console.error('usage: node spec-validator.mjs [--self-check] <matrix-spec-dir>');
    process.exitCode = 2;
}
