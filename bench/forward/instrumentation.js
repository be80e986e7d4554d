// Without this file Next would run the portal's start-up checks from the repository root.
export function register() {}
