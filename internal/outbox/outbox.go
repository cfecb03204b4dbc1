// Package outbox runs the server's outbox workers: the loops that empty a
// table of pending work (notification jobs, Web Push jobs and deliveries,
// webhook deliveries) written in the same transaction as the change that
// caused it.
//
// Every replica runs each worker. The replica whose commit queued the work
// wakes its own worker at once (Signal); every replica also polls, so work
// left by a replica that stopped, or a retry coming due, is picked up by
// another within one poll interval. Claiming rows so that one replica
// handles each (row locks with SKIP LOCKED, leases) is the caller's part:
// this package only decides when to look, and measures how far behind the
// workers are (Age).
package outbox
