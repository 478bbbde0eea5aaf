// Tests run without Electron's binary (DESIGN.md §6): any import of 'electron' from code under test lands
// here and fails loudly instead of trying to download Electron.
throw new Error('electron must not be imported by code under test (only src/main/index.ts and src/main/hosts/electron may)')
