# shellcheck shell=sh
# The probe's session (facts/framing.ts sessionBody): one request a line on stdin, each answered
# by its output and `@@clusterctl:ran NONCE rc=STATUS` on a line of its own.
#   probe NONCE            the sections (clusterctl_sections), as the one-shot script prints them
#   script NONCE BYTES     the lines after it, up to a line that is NONCE, run in a subshell with
#                          stdin from /dev/null; bash takes BYTES with one `read -N`, sh reads lines.
while IFS= read -r clusterctl_req; do
  case $clusterctl_req in
    "probe "*) clusterctl_nonce=${clusterctl_req#probe }; clusterctl_sections </dev/null; printf "\n@@clusterctl:ran %s rc=%s\n" "${clusterctl_req#probe }" $?;;
    "script "*)
      clusterctl_end=${clusterctl_req#script } clusterctl_s=
      case $clusterctl_end in *" "*) clusterctl_n=${clusterctl_end#* } clusterctl_end=${clusterctl_end%% *};; *) clusterctl_n=;; esac
      case $clusterctl_n in ""|*[!0-9]*) ;; *) [ -z "${BASH_VERSION-}" ] || IFS= read -r -N "$clusterctl_n" clusterctl_s;; esac
      while IFS= read -r clusterctl_l && [ "$clusterctl_l" != "$clusterctl_end" ]; do clusterctl_s=$clusterctl_s$clusterctl_l$NL; done
      clusterctl_nonce=$clusterctl_end; ( eval "$clusterctl_s" ) </dev/null; printf "\n@@clusterctl:ran %s rc=%s\n" "$clusterctl_end" $?;;
  esac
done
