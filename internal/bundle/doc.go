// Package bundle runs 一件事一次办: bundles of listings across departments
// applied for with one merged form and one set of materials (merged by
// standard material code), a parent case with one sub-case per applicable
// component, prerequisites that start their dependants when decided, and
// the parent's state, 补正 notice and handover derived from its sub-cases.
// Definitions are versioned, and a quality check gates publishing.
package bundle
