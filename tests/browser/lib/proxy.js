// A loopback HTTP server in front of a running Hornet web UI, for pages the real binaries cannot
// produce yet (plot mode before `hornet plot`, a distributed master's workers): each GET goes to
// `handle(path, query, forward)`, which answers {status, type, body} itself, or returns
// `forward()`'s upstream answer (possibly changed), or undefined to pass the upstream answer on.
"use strict";

const http = require("node:http");
const h = require("./harness");

async function startProxy(upstream, handle) {
  const server = http.createServer(async (request, response) => {
    const [path, query = ""] = request.url.split("?");
    const forward = async () => {
      const reply = await h.httpGet(upstream + request.url);
      return {status: reply.status, type: reply.headers["content-type"] || "text/plain", body: reply.body};
    };
    try {
      if (request.method !== "GET") throw new Error("the proxy only forwards GET");
      const answer = (await handle(path, query, forward)) || (await forward());
      response.writeHead(answer.status || 200, {"Content-Type": answer.type || "application/json"});
      response.end(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body));
    } catch (error) {
      response.writeHead(502, {"Content-Type": "text/plain"});
      response.end(String(error));
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  server.url = `http://127.0.0.1:${server.address().port}`;
  server.stop = () => new Promise((resolve) => server.close(resolve));
  return server;
}

module.exports = {startProxy};
