import { ensureDist } from '../helpers/build.ts'

// Fixture projects in this repo import `benchgate` and `benchgate/plugin` by the package's name,
// which Node and Vite resolve to this repo's own build (dist/, through the package's exports: a
// package may import itself by name), as a project resolves an installed benchgate. `npm test`
// builds dist/ just before; a test file run on its own after an edit gets it rebuilt here.
export default function setup(): void {
  ensureDist()
}
