package license

// PreparedSignature is the signature PrepareLicense made, for tests.
func PreparedSignature(p any) []byte {
	if p, ok := p.(*Prepared); ok {
		return p.sig
	}
	return nil
}
