//! The console of the command line on Windows, where the binary is built as a GUI program: its
//! output goes to the console it was started from (`cmd`, PowerShell, Windows Terminal), attached
//! when the standard handles are not already a file or a pipe. Elsewhere nothing is needed.

/// Attaches to the parent process's console when the output has nowhere else to go.
pub fn attach() {
    #[cfg(windows)]
    windows::attach();
}

/// Whether a process whose standard output is `stdout_valid` should attach to its parent's
/// console: only when the output is not redirected (a redirected handle is kept as it is).
#[cfg_attr(not(windows), allow(dead_code))]
fn should_attach(stdout_valid: bool) -> bool {
    !stdout_valid
}

#[cfg(windows)]
mod windows {
    use windows_sys::Win32::System::Console::{
        ATTACH_PARENT_PROCESS, AttachConsole, GetStdHandle, STD_OUTPUT_HANDLE,
    };

    pub fn attach() {
        // SAFETY: both calls take plain values and touch only this process's console state;
        // a failure (no parent console: started from Explorer) is reported by the return value
        // and leaves nothing to clean up.
        #[allow(unsafe_code)]
        unsafe {
            let handle = GetStdHandle(STD_OUTPUT_HANDLE);
            let valid =
                !handle.is_null() && handle != windows_sys::Win32::Foundation::INVALID_HANDLE_VALUE;
            if super::should_attach(valid) {
                AttachConsole(ATTACH_PARENT_PROCESS);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_redirected_output_is_kept() {
        assert!(super::should_attach(false));
        assert!(!super::should_attach(true));
    }
}
