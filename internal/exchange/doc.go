// Package exchange is 只提交一次材料: what spares an applicant a paper they
// already handed over or the government already holds.
//
//   - Standard materials (标准材料): one code for the same document across
//     listings, kept by catalog admins (standards.go).
//   - The material library (材料库): files staff confirmed in a case, offered
//     again to the same applicant for any listing asking the same standard
//     material, and the `reused` resolver that checks such a claim.
//   - Shared data (政务信息资源目录): resources, the records providers push
//     or Tongban pulls, consent for 有条件 resources, and the `shared`
//     resolver.
//   - The data-use record (我的数据使用记录): every read of a person's data,
//     listed to that person.
//
// Resolvers run inside the workflow's transaction and only read the
// database; pulls from providers happen before it (Prepare).
package exchange
