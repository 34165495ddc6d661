/*
 * Valgrind client requests for benchgate's `--measure instructions` mode, as a Node-API addon.
 *
 * How plugin/instructions/counter.ts counts a round: instrumentation is on from a benchmark's first
 * round to its last (startInstrumentation / stopInstrumentation: each switch flushes Valgrind's
 * translations, so it is not done per round); every thread but the JavaScript one collects all
 * along, the JavaScript thread only inside the body (toggleCollect: Callgrind's collection state
 * is per thread); zeroStats() just before the body and dumpStats() after it leave that round's
 * cost, on every thread, in a dump file of its own. Outside Valgrind every request is a no-op
 * (runningOnValgrind() is 0). docs/instructions.md has the measurements behind this.
 *
 * dieWithParent(ppid) replaces plugin/parent-watch.ts's watchdog thread in these workers: under
 * Callgrind every thread's instructions count while a round runs, and a thread that wakes every
 * 200 ms landed inside rounds.
 */
#include <node_api.h>
#include <stdint.h>
#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>
#endif
#include <valgrind/valgrind.h>
#include <valgrind/callgrind.h>

static napi_value start_instrumentation(napi_env env, napi_callback_info info) {
  (void)env; (void)info;
  CALLGRIND_START_INSTRUMENTATION;
  return NULL;
}

static napi_value stop_instrumentation(napi_env env, napi_callback_info info) {
  (void)env; (void)info;
  CALLGRIND_STOP_INSTRUMENTATION;
  return NULL;
}

static napi_value toggle_collect(napi_env env, napi_callback_info info) {
  (void)env; (void)info;
  CALLGRIND_TOGGLE_COLLECT;
  return NULL;
}

static napi_value zero_stats(napi_env env, napi_callback_info info) {
  (void)env; (void)info;
  CALLGRIND_ZERO_STATS;
  return NULL;
}

/* dumpStats(label?): writes the counts since the last dump (or zero) to a new file, then zeroes them. */
static napi_value dump_stats(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  char label[128];
  size_t length = 0;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) == napi_ok && argc > 0
      && napi_get_value_string_utf8(env, argv[0], label, sizeof label, &length) == napi_ok) {
    CALLGRIND_DUMP_STATS_AT(label);
  } else {
    CALLGRIND_DUMP_STATS;
  }
  return NULL;
}

static napi_value running_on_valgrind(napi_env env, napi_callback_info info) {
  napi_value result;
  (void)info;
  napi_create_uint32(env, (uint32_t)RUNNING_ON_VALGRIND, &result);
  return result;
}

/*
 * dieWithParent(ppid): the kernel sends this process SIGKILL when its parent dies
 * (PR_SET_PDEATHSIG), with no thread of ours running meanwhile; if the parent is already gone (this
 * process's parent is no longer ppid) it kills itself now. Returns false where the kernel has no
 * such signal (not Linux): the caller watches the parent another way.
 */
static napi_value die_with_parent(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  int64_t expected = 0;
  bool set = false;
  napi_value result;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 1
      || napi_get_value_int64(env, argv[0], &expected) != napi_ok) {
    napi_throw_type_error(env, NULL, "dieWithParent(ppid): expected the parent's pid");
    return NULL;
  }
#ifdef __linux__
  set = prctl(PR_SET_PDEATHSIG, SIGKILL) == 0;
  if (set && (int64_t)getppid() != expected) kill(getpid(), SIGKILL);
#endif
  napi_get_boolean(env, set, &result);
  return result;
}

#define METHOD(name, fn) { name, NULL, fn, NULL, NULL, NULL, napi_default, NULL }

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor methods[] = {
    METHOD("startInstrumentation", start_instrumentation),
    METHOD("stopInstrumentation", stop_instrumentation),
    METHOD("toggleCollect", toggle_collect),
    METHOD("zeroStats", zero_stats),
    METHOD("dumpStats", dump_stats),
    METHOD("runningOnValgrind", running_on_valgrind),
    METHOD("dieWithParent", die_with_parent),
  };
  napi_define_properties(env, exports, sizeof methods / sizeof methods[0], methods);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
