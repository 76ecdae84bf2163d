// Runs one Node.js Lambda handler for deploy-local's emulator, in the
// project's Node.js 22, instead of the Docker container moto would use.
//
//   node lambda_runner.js CODE_DIR MODULE.FUNCTION RESULT_FILE < event.json
//
// The handler's return value (or, when it throws, Lambda's error payload
// {errorType, errorMessage}) goes to RESULT_FILE; stdout and stderr are its logs.
//
// The handler's AWS SDK calls go to the emulator (AWS_ENDPOINT_URL). A
// CloudFormation custom-resource handler answers on event.ResponseURL with
// https.request; the emulator listens on plain HTTP on loopback, so requests
// to that host (and only those) are sent over HTTP to its port.
"use strict";
const fs = require("fs");
const http = require("http");
const https = require("https");
const path = require("path");

async function main() {
  const [codeDir, handlerSpec, resultFile] = process.argv.slice(2);
  const chunks = [];
  for await (const c of process.stdin) chunks.push(c);
  const event = JSON.parse(Buffer.concat(chunks).toString() || "{}");

  if (typeof event.ResponseURL === "string" && event.ResponseURL.startsWith("http://")) {
    const target = new URL(event.ResponseURL);
    const httpsRequest = https.request;
    https.request = function (options, callback) {
      if (options && options.hostname === target.hostname) {
        return http.request({ ...options, port: target.port, protocol: "http:" }, callback);
      }
      return httpsRequest.apply(this, arguments);
    };
  }

  const dot = handlerSpec.lastIndexOf(".");
  const mod = require(path.resolve(codeDir, handlerSpec.slice(0, dot)));
  const fn = mod[handlerSpec.slice(dot + 1)];
  const context = { functionName: process.env.AWS_LAMBDA_FUNCTION_NAME, getRemainingTimeInMillis: () => 60000 };
  try {
    const result = await fn(event, context);
    fs.writeFileSync(resultFile, JSON.stringify(result === undefined ? null : result));
  } catch (e) {
    fs.writeFileSync(resultFile, JSON.stringify({
      errorType: (e && e.name) || "Error", errorMessage: String(e && e.message !== undefined ? e.message : e) }));
    throw e;
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
