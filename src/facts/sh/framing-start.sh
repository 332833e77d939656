# shellcheck shell=sh
# shellcheck disable=SC1007 # `O= E= X=`: each variable set empty, on purpose
# shellcheck disable=SC2016 # buildScript (facts/framing.ts) holds this body single-quoted in a variable: eval expands it, not the quotes
# The first lines of every probe: C locale (a character is a byte), then whether it may use sudo
# and the request's nonce, from the client's first lines or the arguments of the bash re-exec
# (facts/framing.ts buildScript).
LC_ALL=C; export LC_ALL
become=${clusterctl_become-${1-}} clusterctl_nonce=${clusterctl_nonce-${2-}} O= E= X=
