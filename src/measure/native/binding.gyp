# The Valgrind client-request addon of `--measure instructions` (src/measure/addon.ts builds it with
# node-gyp the first time the mode is used). Node-API only: one build serves every Node version.
{
  "targets": [
    {
      "target_name": "benchgate_valgrind",
      "sources": ["benchgate_valgrind.c"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
