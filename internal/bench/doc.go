// Package bench is Tongban's load harness: a closed-loop HTTP load generator
// bounded in time and count that only talks to loopback addresses, a
// log-linear latency histogram, a pgbench runner on scratch databases, a
// reference "hello world" JSON handler, child-process servers with peak RSS,
// and the alternating reference/subject runs whose median ratio is the
// figure reported (absolute numbers swing 20–40% on a shared machine;
// back-to-back ratios do not).
package bench
