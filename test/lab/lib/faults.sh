# shellcheck shell=bash
# Fault injection: each fault breaks exactly one thing on one node. `repair` is ensure_node.

FAULT_KINDS=(hostname hostname-file route dns sshd gateway blackhole etcd-stop etcdctl-slow etcd-loopback-only etcd-unreachable etcdctl-33-health hostname-hostile hostname-huge resolv-root-only)

# What a hostile node puts in its /etc/hostname (fault hostname-hostile): set the window title,
# clear the screen, turn the text red, then return to the start of the line and print a PASS
# line for this very check over clusterctl's FAIL line.
hostile_hostname() {
  printf 'evil\033]0;PWNED\007\033[2J\033[31mRED\rPASS  %s hostname.file: /etc/hostname is %s' "$(node_name "$1")" "$(node_name "$1")"
}

inject_fault() {
  local kind=$1 i=$2 ns pid
  ns=$(node_ns "$i")
  case $kind in
    hostname) # runtime (UTS) hostname wrong, /etc/hostname still right
      pid=$(sshd_pid "$i")
      [[ -n $pid ]] || die "node $i: sshd is not running; the hostname fault needs it (repair $i first)"
      nsenter -t "$pid" -u hostname "$(node_name "$i")-wrong" ;;
    hostname-file) # stale /etc/hostname, runtime hostname still right
      write_in_place "/etc/netns/$ns/hostname" "$(node_name "$i")-stale" ;;
    route) # the static route is gone
      ip -n "$ns" route del "$STATIC_ROUTE_DST" ;;
    dns) # different nameservers
      write_in_place "/etc/netns/$ns/resolv.conf" "$(printf 'nameserver %s\nsearch %s' "$FAULT_DNS" "$DNS_SEARCH")" ;;
    sshd) # the node is unreachable over ssh
      stop_pidfile "$(node_dir "$i")/sshd.pid" sshd ;;
    gateway) # default route via an address that is not the bridge
      ip -n "$ns" route replace default via "$FAULT_GATEWAY" dev eth0 ;;
    blackhole) # the node drops every packet to the host (clusterctl's side): an open SSH connection
      # stalls with no reset, a new one gets no answer; only inside the node's namespace
      ip -n "$ns" route replace blackhole "$BRIDGE_ADDR/32" ;;
    etcd-stop) # the node's etcd member is stopped (LAB_ETCD labs); repair restarts it with its data
      [[ -n $(etcd_pid "$i") ]] || die "node $i runs no lab etcd member (LAB_ETCD=single|cluster3 at up)"
      stop_etcd "$i" ;;
    etcdctl-slow) # the node's etcdctl sleeps first (LAB_ETCDCTL_DELAY, LAB_ETCDCTL_SLOW_ON; see lib/etcd.sh)
      etcdctl_slow "$i" ;;
    hostname-hostile) # /etc/hostname holds terminal escapes and a carriage return that forges a PASS line
      printf '%s\n' "$(hostile_hostname "$i")" >"/etc/netns/$ns/hostname" ;;
    hostname-huge) # /etc/hostname is 66 MiB (LAB_HUGE_MIB) of 'a': more than any probe output cap
      head -c $((${LAB_HUGE_MIB:-66} * 1024 * 1024)) /dev/zero | tr '\0' a >"/etc/netns/$ns/hostname" ;;
    sudo-password) # sudo on the node wants a password for etcdctl (LAB_ETCD_TLS labs; lib/etcd-tls.sh)
      etcd_tls_fault "$i" ;;
    resolv-root-only) # /etc/resolv.conf readable by root only (0600): core cannot read it without sudo
      chmod 0600 "/etc/netns/$ns/resolv.conf" ;;
    etcd-loopback-only) # node 1's member listens on 127.0.0.1 only, as the setup guide writes it
      etcd_loopback_only "$i" ;;
    etcd-unreachable) # node i has no route to node 1's address
      etcd_unreachable "$i" ;;
    etcdctl-33-health) # the node's etcdctl prints text for `-w json endpoint health`, as 3.3.0-3.3.13 do
      etcdctl_33_health "$i" ;;
    flannel-*) flannel_fault "$kind" "$i" ;;
    *) die "unknown fault '$kind'; known: ${FAULT_KINDS[*]}" ;;
  esac
  echo "$kind" >>"$(node_dir "$i")/faults"
}
