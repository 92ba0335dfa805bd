// JSON for scenarios: nlohmann::json, which Response::json() returns.
//
//   auto data = (co_await client().get("/api")).json();
//   co_await client().post("/api").json(nlohmann::json{{"id", 1}}.dump());
//
// Kept out of <hornet/hornet.hpp> because it is a large header.
#pragma once

#include <hornet/http.hpp>

#include <nlohmann/json.hpp>
