/* argrec: a stand-in for python.exe / sovits-launch.exe in the Wine tests.
 *
 * Records how it was started, as UTF-8 JSON:
 *   cmdline  the raw GetCommandLineW()
 *   argv     what CommandLineToArgvW() splits it into (what CPython's parser
 *            also gives for arguments without embedded quotes)
 *   cwd      GetCurrentDirectoryW()
 *   exe      GetModuleFileNameW(): which copy of the stand-in actually ran
 *   path     the PATH it was given (to check that runtime\ comes first)
 *   acp, oemcp  the code pages Wine chose from the locale (936 for zh_CN)
 * The JSON goes to %ARGREC_OUT% if set, else to argrec.json next to the exe.
 * Exits with %ARGREC_EXIT% (default 0), so tests can drive the failure path.
 *
 * Based on the argrec.c in research/wine.md (cmdline, argv, cwd), plus exe,
 * path, code pages and the exit code. Build:
 *   x86_64-w64-mingw32-gcc -O2 -s -o python.exe argrec.c -lshell32
 */
#include <windows.h>
#include <shellapi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *buf;
static size_t len, cap;

static void put(const char *s, size_t n) {
  if (len + n + 1 > cap) { cap = (len + n + 1) * 2; buf = realloc(buf, cap); }
  memcpy(buf + len, s, n); len += n; buf[len] = 0;
}
static void puts_(const char *s) { put(s, strlen(s)); }
static void putjson(const wchar_t *w) {
  int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
  char *u = malloc(n > 0 ? n : 1); u[0] = 0;
  WideCharToMultiByte(CP_UTF8, 0, w, -1, u, n, NULL, NULL);
  puts_("\"");
  for (unsigned char *p = (unsigned char *)u; *p; p++) {
    char e[8];
    if (*p == '"' || *p == '\\') { e[0] = '\\'; e[1] = *p; put(e, 2); }
    else if (*p < 0x20) { snprintf(e, sizeof e, "\\u%04x", *p); puts_(e); }
    else put((char *)p, 1);
  }
  puts_("\""); free(u);
}

int main(void) {
  LPWSTR cl = GetCommandLineW();
  int argc = 0;
  LPWSTR *argv = CommandLineToArgvW(cl, &argc);
  static wchar_t cwd[32768], exe[32768], path[32768], out[32768], code[64];
  GetCurrentDirectoryW(32768, cwd);
  GetModuleFileNameW(NULL, exe, 32768);
  if (!GetEnvironmentVariableW(L"PATH", path, 32768)) path[0] = 0;
  puts_("{\"cmdline\": "); putjson(cl);
  puts_(", \"cwd\": "); putjson(cwd);
  puts_(", \"exe\": "); putjson(exe);
  puts_(", \"path\": "); putjson(path);
  { char cp[64]; snprintf(cp, sizeof cp, ", \"acp\": %u, \"oemcp\": %u", GetACP(), GetOEMCP()); puts_(cp); }
  puts_(", \"argv\": [");
  for (int i = 0; i < argc; i++) { if (i) puts_(", "); putjson(argv[i]); }
  puts_("]}\n");
  DWORD n = GetEnvironmentVariableW(L"ARGREC_OUT", out, 32768);
  if (n == 0 || n >= 32768) {
    wcscpy(out, exe);
    wchar_t *s = wcsrchr(out, L'\\');
    if (s) wcscpy(s + 1, L"argrec.json"); else wcscpy(out, L"argrec.json");
  }
  HANDLE h = CreateFileW(out, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    fprintf(stderr, "argrec: cannot open output (err %lu)\n", GetLastError());
    return 2;
  }
  DWORD wr;
  WriteFile(h, buf, (DWORD)len, &wr, NULL);
  CloseHandle(h);
  int rc = 0;
  if (GetEnvironmentVariableW(L"ARGREC_EXIT", code, 64)) rc = _wtoi(code);
  printf("argrec: recorded %d args, exiting with %d\n", argc, rc);
  fflush(stdout);
  return rc;
}
