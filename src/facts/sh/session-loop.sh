# shellcheck shell=sh
# The probe's session (facts/framing.ts sessionBody): one request a line on stdin, each answered
# by its output and `@@clusterctl:ran NONCE rc=STATUS` on a line of its own.
#   probe NONCE            the sections (clusterctl_sections), as the one-shot script prints them
#   probe NONCE BYTES      the sections, then a script as `script` takes it, in the same reply:
#                          the batch parts that need nothing from the probe (facts/collect.ts)
#   script NONCE BYTES     the lines after it, up to a line that is NONCE, run in a subshell with
#                          stdin from /dev/null; bash takes BYTES with one `read -N`, sh reads lines.
# A probe's status is its sections'; a script's, its own.
while IFS= read -r clusterctl_req; do
  clusterctl_kind=${clusterctl_req%% *} clusterctl_end=${clusterctl_req#* } clusterctl_s=
  case $clusterctl_kind in probe|script) ;; *) continue;; esac
  case $clusterctl_end in *" "*) clusterctl_n=${clusterctl_end#* } clusterctl_end=${clusterctl_end%% *};; *) clusterctl_n=;; esac
  if [ "$clusterctl_kind" = script ] || [ -n "$clusterctl_n" ]; then
    case $clusterctl_n in ""|*[!0-9]*) ;; *) [ -z "${BASH_VERSION-}" ] || IFS= read -r -N "$clusterctl_n" clusterctl_s;; esac
    while IFS= read -r clusterctl_l && [ "$clusterctl_l" != "$clusterctl_end" ]; do clusterctl_s=$clusterctl_s$clusterctl_l$NL; done
  fi
  clusterctl_nonce=$clusterctl_end clusterctl_rc=0
  if [ "$clusterctl_kind" = probe ]; then clusterctl_sections </dev/null; clusterctl_rc=$?; fi
  if [ -n "$clusterctl_s" ]; then
    ( eval "$clusterctl_s" ) </dev/null
    clusterctl_r=$?; [ "$clusterctl_kind" = probe ] || clusterctl_rc=$clusterctl_r
  fi
  printf "\n@@clusterctl:ran %s rc=%s\n" "$clusterctl_end" "$clusterctl_rc"
done
