package tongban

import (
	"slices"
)

// Enum lists the values a string type may take, sorted, for the API document
// (internal/api/openapi.go states them as the schema's enum). Each comes from
// the type's own label table, so a new value is documented once it has a label.

func (ErrorCode) Enum() []string      { return enumOf(httpStatus) }
func (CaseState) Enum() []string      { return enumOf(caseStateLabels) }
func (Channel) Enum() []string        { return enumOf(channelLabels) }
func (MaterialStatus) Enum() []string { return enumOf(materialStatusLabels) }
func (DeliveryMethod) Enum() []string { return enumOf(deliveryLabels) }
func (CaseAction) Enum() []string     { return enumOf(caseActionLabels) }
func (DataUseKind) Enum() []string    { return enumOf(dataUseKindLabels) }
func (ItemType) Enum() []string       { return enumOf(itemTypeLabels) }
func (ItemLevel) Enum() []string      { return enumOf(itemLevelLabels) }
func (Audience) Enum() []string       { return enumOf(audienceLabels) }
func (ListingStatus) Enum() []string  { return enumOf(listingStatusLabels) }
func (CaseType) Enum() []string       { return enumOf(caseTypeLabels) }
func (OnlineDepth) Enum() []string    { return enumOf(onlineDepthLabels) }
func (StepRole) Enum() []string       { return enumOf(stepRoleLabels) }
func (ResultType) Enum() []string     { return enumOf(resultTypeLabels) }
func (Necessity) Enum() []string      { return enumOf(necessityLabels) }
func (MaterialForm) Enum() []string   { return enumOf(materialFormLabels) }
func (MaterialType) Enum() []string   { return enumOf(materialTypeLabels) }
func (MaterialSource) Enum() []string { return enumOf(materialSourceLabels) }
func (EffectOp) Enum() []string       { return enumOf(effectOpLabels) }
func (OrgKind) Enum() []string        { return enumOf(orgKindNames) }
func (Role) Enum() []string {
	return slices.Sorted(slices.Values(append(enumOf(roleLabels), string(ActorApplicant), string(ActorSystem))))
}

func (UserKind) Enum() []string {
	return []string{string(UserCitizen), string(UserEnterprise), string(UserStaff)}
}

func (MaterialRefKind) Enum() []string {
	return []string{string(RefLicense), string(RefLibrary), string(RefShared)}
}

func enumOf[K ~string, V any](table map[K]V) []string {
	values := make([]string, 0, len(table))
	for k := range table {
		values = append(values, string(k))
	}
	slices.Sort(values)
	return values
}
