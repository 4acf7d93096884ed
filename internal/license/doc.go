// Package license holds the rules of 电子证照 (e-licences): the GB/T 36904
// identifier with its ISO/IEC 7064 check character, the canonical bytes a
// licence's GB/T 36903 metadata is signed over, and SM2-with-SM3 seals.
package license
