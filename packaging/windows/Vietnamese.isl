; *** Inno Setup 6 — Vietnamese messages for the DanhGia installer ***
;
; Inno Setup ships no official Vietnamese translation; this file is the project's own. It is
; used after the standard English file (danhgia.iss: MessagesFile: "compiler:Default.isl,
; Vietnamese.isl"), so any message of a newer Inno Setup that is missing here falls back to
; English instead of failing the build. UTF-8 with BOM (Inno Setup 6.0–6.2 need the BOM).
; Message names follow Default.isl of Inno Setup 6.1 and later.
; Placeholders (%1, %n, [name] …) and the "&" of keyboard shortcuts must stay as they are;
; Inno Setup adds the final period itself where the English text has none.

[LangOptions]
LanguageName=Tiếng Việt
LanguageID=$042A
LanguageCodePage=0

[Messages]

; *** Application titles
SetupAppTitle=Cài đặt
SetupWindowTitle=Cài đặt %1
UninstallAppTitle=Gỡ cài đặt
UninstallAppFullTitle=Gỡ cài đặt %1

; *** Misc. common
InformationTitle=Thông tin
ConfirmTitle=Xác nhận
ErrorTitle=Lỗi

; *** SetupLdr messages
SetupLdrStartupMessage=Chương trình sẽ cài đặt %1. Bạn có muốn tiếp tục không?
LdrCannotCreateTemp=Không tạo được tệp tạm. Đã dừng cài đặt
LdrCannotExecTemp=Không chạy được tệp trong thư mục tạm. Đã dừng cài đặt
HelpTextNote=

; *** Startup error messages
LastErrorMessage=%1.%n%nLỗi %2: %3
SetupFileMissing=Thiếu tệp %1 trong thư mục cài đặt. Hãy khắc phục hoặc lấy một bản cài đặt mới.
SetupFileCorrupt=Các tệp cài đặt bị hỏng. Hãy lấy một bản cài đặt mới.
SetupFileCorruptOrWrongVer=Các tệp cài đặt bị hỏng hoặc không hợp với phiên bản trình cài đặt này. Hãy khắc phục hoặc lấy một bản cài đặt mới.
InvalidParameter=Tham số dòng lệnh không hợp lệ:%n%n%1
SetupAlreadyRunning=Trình cài đặt đang chạy rồi.
WindowsVersionNotSupported=Chương trình này không chạy được trên phiên bản Windows của máy này.
WindowsServicePackRequired=Chương trình này cần %1 Service Pack %2 trở lên.
NotOnThisPlatform=Chương trình này không chạy trên %1.
OnlyOnThisPlatform=Chương trình này phải chạy trên %1.
OnlyOnTheseArchitectures=Chương trình này chỉ cài được trên các phiên bản Windows dành cho kiến trúc bộ xử lý sau:%n%n%1
WinVersionTooLowError=Chương trình này cần %1 phiên bản %2 trở lên.
WinVersionTooHighError=Không cài được chương trình này trên %1 phiên bản %2 trở lên.
AdminPrivilegesRequired=Bạn cần đăng nhập bằng tài khoản quản trị để cài chương trình này.
PowerUserPrivilegesRequired=Bạn cần đăng nhập bằng tài khoản quản trị hoặc thuộc nhóm Power Users để cài chương trình này.
SetupAppRunningError=%1 đang chạy.%n%nHãy đóng mọi cửa sổ của chương trình rồi bấm OK để tiếp tục, hoặc bấm Hủy để thoát.
UninstallAppRunningError=%1 đang chạy.%n%nHãy đóng mọi cửa sổ của chương trình rồi bấm OK để tiếp tục, hoặc bấm Hủy để thoát.

; *** Startup questions
PrivilegesRequiredOverrideTitle=Chọn cách cài đặt
PrivilegesRequiredOverrideInstruction=Chọn cách cài đặt
PrivilegesRequiredOverrideText1=%1 có thể được cài cho mọi người dùng máy này (cần quyền quản trị) hoặc chỉ cho riêng bạn.
PrivilegesRequiredOverrideText2=%1 có thể được cài chỉ cho riêng bạn hoặc cho mọi người dùng máy này (cần quyền quản trị).
PrivilegesRequiredOverrideAllUsers=Cài cho &mọi người dùng
PrivilegesRequiredOverrideAllUsersRecommended=Cài cho &mọi người dùng (khuyên dùng)
PrivilegesRequiredOverrideCurrentUser=Chỉ cài cho &riêng tôi
PrivilegesRequiredOverrideCurrentUserRecommended=Chỉ cài cho &riêng tôi (khuyên dùng)

; *** Misc. errors
ErrorCreatingDir=Không tạo được thư mục "%1"
ErrorTooManyFilesInDir=Không tạo được tệp trong thư mục "%1" vì thư mục có quá nhiều tệp

; *** Setup common messages
ExitSetupTitle=Thoát cài đặt
ExitSetupMessage=Việc cài đặt chưa xong. Nếu thoát bây giờ, chương trình sẽ không được cài.%n%nBạn có thể chạy lại trình cài đặt vào lúc khác.%n%nThoát cài đặt?
AboutSetupMenuItem=&Giới thiệu trình cài đặt...
AboutSetupTitle=Giới thiệu trình cài đặt
AboutSetupMessage=%1 phiên bản %2%n%3%n%nTrang chủ của %1:%n%4
AboutSetupNote=
TranslatorNote=Bản tiếng Việt do nhóm phát triển DanhGia biên soạn.

; *** Buttons
ButtonBack=< &Quay lại
ButtonNext=&Tiếp >
ButtonInstall=&Cài đặt
ButtonOK=Đồng ý
ButtonCancel=Hủy
ButtonYes=&Có
ButtonYesToAll=Có với &tất cả
ButtonNo=&Không
ButtonNoToAll=K&hông với tất cả
ButtonFinish=&Xong
ButtonBrowse=&Chọn...
ButtonWizardBrowse=C&họn...
ButtonNewFolder=&Tạo thư mục mới

; *** "Select Language" dialog messages
SelectLanguageTitle=Chọn ngôn ngữ cài đặt
SelectLanguageLabel=Chọn ngôn ngữ dùng trong khi cài đặt:

; *** Common wizard text
ClickNext=Bấm Tiếp để tiếp tục, hoặc bấm Hủy để thoát cài đặt.
BeveledLabel=
BrowseDialogTitle=Chọn thư mục
BrowseDialogLabel=Chọn một thư mục trong danh sách dưới đây rồi bấm Đồng ý.
NewFolderName=Thư mục mới

; *** "Welcome" wizard page
WelcomeLabel1=Chào mừng bạn đến với trình cài đặt [name]
WelcomeLabel2=Trình cài đặt sẽ cài [name/ver] vào máy tính này.%n%nNên đóng các chương trình khác trước khi tiếp tục.

; *** "Password" wizard page
WizardPassword=Mật khẩu
PasswordLabel1=Bản cài đặt này có mật khẩu bảo vệ.
PasswordLabel3=Hãy nhập mật khẩu rồi bấm Tiếp. Mật khẩu phân biệt chữ hoa, chữ thường.
PasswordEditLabel=&Mật khẩu:
IncorrectPassword=Mật khẩu không đúng. Hãy thử lại.

; *** "License Agreement" wizard page
WizardLicense=Thỏa thuận giấy phép
LicenseLabel=Hãy đọc các thông tin quan trọng sau trước khi tiếp tục.
LicenseLabel3=Hãy đọc thỏa thuận giấy phép sau. Bạn phải chấp nhận các điều khoản này thì mới tiếp tục cài đặt được.
LicenseAccepted=Tôi &chấp nhận thỏa thuận
LicenseNotAccepted=Tôi &không chấp nhận thỏa thuận

; *** "Information" wizard pages
WizardInfoBefore=Thông tin
InfoBeforeLabel=Hãy đọc các thông tin quan trọng sau trước khi tiếp tục.
InfoBeforeClickLabel=Khi sẵn sàng tiếp tục cài đặt, hãy bấm Tiếp.
WizardInfoAfter=Thông tin
InfoAfterLabel=Hãy đọc các thông tin quan trọng sau trước khi tiếp tục.
InfoAfterClickLabel=Khi sẵn sàng tiếp tục cài đặt, hãy bấm Tiếp.

; *** "User Information" wizard page
WizardUserInfo=Thông tin người dùng
UserInfoDesc=Hãy nhập thông tin của bạn.
UserInfoName=&Tên người dùng:
UserInfoOrg=&Cơ quan, đơn vị:
UserInfoSerial=&Số sê-ri:
UserInfoNameRequired=Bạn phải nhập tên.

; *** "Select Destination Location" wizard page
WizardSelectDir=Chọn nơi cài đặt
SelectDirDesc=Cài [name] vào đâu?
SelectDirLabel3=Trình cài đặt sẽ cài [name] vào thư mục sau.
SelectDirBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, hãy bấm Chọn.
DiskSpaceGBLabel=Cần ít nhất [gb] GB dung lượng trống trên ổ đĩa.
DiskSpaceMBLabel=Cần ít nhất [mb] MB dung lượng trống trên ổ đĩa.
CannotInstallToNetworkDrive=Không cài được vào ổ đĩa mạng.
CannotInstallToUNCPath=Không cài được vào đường dẫn UNC.
InvalidPath=Bạn phải nhập đường dẫn đầy đủ có tên ổ đĩa, ví dụ:%n%nC:\APP%n%nhoặc đường dẫn UNC dạng:%n%n\\server\share
InvalidDrive=Ổ đĩa hoặc thư mục chia sẻ UNC đã chọn không tồn tại hoặc không truy cập được. Hãy chọn nơi khác.
DiskSpaceWarningTitle=Không đủ dung lượng đĩa
DiskSpaceWarning=Cần ít nhất %1 KB dung lượng trống để cài đặt, nhưng ổ đĩa đã chọn chỉ còn %2 KB.%n%nBạn vẫn muốn tiếp tục?
DirNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidDirName=Tên thư mục không hợp lệ.
BadDirName32=Tên thư mục không được chứa các ký tự sau:%n%n%1
DirExistsTitle=Thư mục đã có
DirExists=Thư mục:%n%n%1%n%nđã có. Bạn vẫn muốn cài vào thư mục này?
DirDoesntExistTitle=Thư mục chưa có
DirDoesntExist=Thư mục:%n%n%1%n%nchưa có. Bạn có muốn tạo thư mục này không?

; *** "Select Components" wizard page
WizardSelectComponents=Chọn thành phần
SelectComponentsDesc=Cài những thành phần nào?
SelectComponentsLabel2=Đánh dấu các thành phần muốn cài, bỏ dấu các thành phần không muốn cài. Bấm Tiếp khi sẵn sàng.
FullInstallation=Cài đầy đủ
CompactInstallation=Cài gọn
CustomInstallation=Tự chọn
NoUninstallWarningTitle=Thành phần đã có
NoUninstallWarning=Các thành phần sau đã được cài trên máy:%n%n%1%n%nBỏ chọn các thành phần này sẽ không gỡ chúng đi.%n%nBạn vẫn muốn tiếp tục?
ComponentSize1=%1 KB
ComponentSize2=%1 MB
ComponentsDiskSpaceGBLabel=Lựa chọn hiện tại cần ít nhất [gb] GB dung lượng đĩa.
ComponentsDiskSpaceMBLabel=Lựa chọn hiện tại cần ít nhất [mb] MB dung lượng đĩa.

; *** "Select Additional Tasks" wizard page
WizardSelectTasks=Chọn việc làm thêm
SelectTasksDesc=Trình cài đặt làm thêm những việc nào?
SelectTasksLabel2=Chọn những việc muốn trình cài đặt làm thêm khi cài [name], rồi bấm Tiếp.

; *** "Select Start Menu Folder" wizard page
WizardSelectProgramGroup=Chọn thư mục trong menu Start
SelectStartMenuFolderDesc=Đặt lối tắt của chương trình ở đâu?
SelectStartMenuFolderLabel3=Trình cài đặt sẽ tạo lối tắt của chương trình trong thư mục sau của menu Start.
SelectStartMenuFolderBrowseLabel=Bấm Tiếp để tiếp tục. Muốn chọn thư mục khác, hãy bấm Chọn.
MustEnterGroupName=Bạn phải nhập tên thư mục.
GroupNameTooLong=Tên thư mục hoặc đường dẫn quá dài.
InvalidGroupName=Tên thư mục không hợp lệ.
BadGroupName=Tên thư mục không được chứa các ký tự sau:%n%n%1
NoProgramGroupCheck2=&Không tạo thư mục trong menu Start

; *** "Ready to Install" wizard page
WizardReady=Sẵn sàng cài đặt
ReadyLabel1=Trình cài đặt đã sẵn sàng cài [name] vào máy tính này.
ReadyLabel2a=Bấm Cài đặt để bắt đầu, hoặc bấm Quay lại nếu muốn xem lại hay thay đổi lựa chọn.
ReadyLabel2b=Bấm Cài đặt để bắt đầu.
ReadyMemoUserInfo=Thông tin người dùng:
ReadyMemoDir=Nơi cài đặt:
ReadyMemoType=Kiểu cài đặt:
ReadyMemoComponents=Các thành phần đã chọn:
ReadyMemoGroup=Thư mục trong menu Start:
ReadyMemoTasks=Việc làm thêm:

; *** TDownloadWizardPage wizard page and DownloadTemporaryFile (DanhGia downloads nothing)
DownloadingLabel=Đang tải thêm tệp...
ButtonStopDownload=&Dừng tải
StopDownload=Bạn có chắc muốn dừng tải không?
ErrorDownloadAborted=Đã dừng tải
ErrorDownloadFailed=Tải không thành công: %1 %2
ErrorDownloadSizeFailed=Không lấy được kích thước: %1 %2
ErrorFileHash1=Không tính được mã băm của tệp: %1
ErrorFileHash2=Mã băm của tệp không đúng: cần %1, nhận được %2
ErrorProgress=Tiến độ không hợp lệ: %1 trên %2
ErrorFileSize=Kích thước tệp không đúng: cần %1, nhận được %2

; *** "Preparing to Install" wizard page
WizardPreparing=Chuẩn bị cài đặt
PreparingDesc=Trình cài đặt đang chuẩn bị cài [name] vào máy tính này.
PreviousInstallNotCompleted=Lần cài đặt hoặc gỡ bỏ chương trình trước chưa xong. Cần khởi động lại máy để hoàn tất việc đó.%n%nSau khi khởi động lại, hãy chạy lại trình cài đặt để cài [name].
CannotContinue=Không thể tiếp tục cài đặt. Hãy bấm Hủy để thoát.
ApplicationsFound=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để trình cài đặt tự đóng các chương trình này.
ApplicationsFound2=Các chương trình sau đang dùng những tệp cần cập nhật. Nên để trình cài đặt tự đóng các chương trình này. Cài xong, trình cài đặt sẽ thử mở lại chúng.
CloseApplications=&Tự đóng các chương trình
DontCloseApplications=&Không đóng các chương trình
ErrorCloseApplications=Trình cài đặt không tự đóng được mọi chương trình. Hãy tự đóng các chương trình đang dùng những tệp cần cập nhật rồi mới tiếp tục.
PrepareToInstallNeedsRestart=Cần khởi động lại máy. Sau khi khởi động lại, hãy chạy lại trình cài đặt để cài [name].%n%nKhởi động lại ngay bây giờ?

; *** "Installing" wizard page
WizardInstalling=Đang cài đặt
InstallingLabel=Xin chờ trong khi [name] được cài vào máy tính này.

; *** "Setup Completed" wizard page
FinishedHeadingLabel=Đã cài xong [name]
FinishedLabelNoIcons=[name] đã được cài vào máy tính này.
FinishedLabel=[name] đã được cài vào máy tính này. Có thể mở chương trình bằng lối tắt vừa tạo.
ClickFinish=Bấm Xong để thoát trình cài đặt.
FinishedRestartLabel=Cần khởi động lại máy để hoàn tất việc cài [name]. Khởi động lại ngay bây giờ?
FinishedRestartMessage=Cần khởi động lại máy để hoàn tất việc cài [name].%n%nKhởi động lại ngay bây giờ?
ShowReadmeCheck=Có, tôi muốn xem tệp hướng dẫn
YesRadio=&Có, khởi động lại máy ngay
NoRadio=&Không, tôi sẽ khởi động lại sau
RunEntryExec=Mở %1
RunEntryShellExec=Xem %1

; *** "Setup Needs the Next Disk" stuff
ChangeDiskTitle=Cần đĩa tiếp theo
SelectDiskLabel2=Hãy đưa đĩa %1 vào rồi bấm Đồng ý.%n%nNếu các tệp trên đĩa này nằm ở thư mục khác với thư mục dưới đây, hãy nhập đường dẫn đúng hoặc bấm Chọn.
PathLabel=&Đường dẫn:
FileNotInDir2=Không tìm thấy tệp "%1" trong "%2". Hãy đưa đúng đĩa vào hoặc chọn thư mục khác.
SelectDirectoryLabel=Hãy chỉ ra nơi có đĩa tiếp theo.

; *** Installation phase messages
SetupAborted=Việc cài đặt chưa xong.%n%nHãy khắc phục sự cố rồi chạy lại trình cài đặt.
AbortRetryIgnoreSelectAction=Chọn cách xử lý
AbortRetryIgnoreRetry=&Thử lại
AbortRetryIgnoreIgnore=&Bỏ qua lỗi và tiếp tục
AbortRetryIgnoreCancel=Hủy cài đặt

; *** Installation status messages
StatusClosingApplications=Đang đóng các chương trình...
StatusCreateDirs=Đang tạo thư mục...
StatusExtractFiles=Đang giải nén tệp...
StatusCreateIcons=Đang tạo lối tắt...
StatusCreateIniEntries=Đang ghi tệp INI...
StatusCreateRegistryEntries=Đang ghi sổ đăng ký...
StatusRegisterFiles=Đang đăng ký tệp...
StatusSavingUninstall=Đang lưu thông tin gỡ cài đặt...
StatusRunProgram=Đang hoàn tất cài đặt...
StatusRestartingApplications=Đang mở lại các chương trình...
StatusRollback=Đang hoàn lại các thay đổi...

; *** Misc. errors
ErrorInternal2=Lỗi nội bộ: %1
ErrorFunctionFailedNoCode=%1 không thành công
ErrorFunctionFailed=%1 không thành công; mã lỗi %2
ErrorFunctionFailedWithMessage=%1 không thành công; mã lỗi %2.%n%3
ErrorExecutingProgram=Không chạy được tệp:%n%1

; *** Registry errors
ErrorRegOpenKey=Lỗi khi mở khóa sổ đăng ký:%n%1\%2
ErrorRegCreateKey=Lỗi khi tạo khóa sổ đăng ký:%n%1\%2
ErrorRegWriteKey=Lỗi khi ghi khóa sổ đăng ký:%n%1\%2

; *** INI errors
ErrorIniEntry=Lỗi khi ghi vào tệp INI "%1".

; *** File copying errors
FileAbortRetryIgnoreSkipNotRecommended=&Bỏ qua tệp này (không khuyên dùng)
FileAbortRetryIgnoreIgnoreNotRecommended=&Bỏ qua lỗi và tiếp tục (không khuyên dùng)
SourceIsCorrupted=Tệp nguồn bị hỏng
SourceDoesntExist=Không có tệp nguồn "%1"
ExistingFileReadOnly2=Không thay được tệp đang có vì tệp chỉ cho đọc.
ExistingFileReadOnlyRetry=&Bỏ thuộc tính chỉ đọc rồi thử lại
ExistingFileReadOnlyKeepExisting=&Giữ tệp đang có
ErrorReadingExistingDest=Lỗi khi đọc tệp đang có:
FileExistsSelectAction=Chọn cách xử lý
FileExists2=Tệp đã có.
FileExistsOverwriteExisting=&Ghi đè tệp đang có
FileExistsKeepExisting=&Giữ tệp đang có
FileExistsOverwriteOrKeepAll=&Làm như vậy với các trường hợp sau
ExistingFileNewerSelectAction=Chọn cách xử lý
ExistingFileNewer2=Tệp đang có mới hơn tệp trình cài đặt định cài.
ExistingFileNewerOverwriteExisting=&Ghi đè tệp đang có
ExistingFileNewerKeepExisting=&Giữ tệp đang có (khuyên dùng)
ExistingFileNewerOverwriteOrKeepAll=&Làm như vậy với các trường hợp sau
ErrorChangingAttr=Lỗi khi đổi thuộc tính của tệp đang có:
ErrorCreatingTemp=Lỗi khi tạo tệp trong thư mục cài đặt:
ErrorReadingSource=Lỗi khi đọc tệp nguồn:
ErrorCopying=Lỗi khi chép tệp:
ErrorReplacingExistingFile=Lỗi khi thay tệp đang có:
ErrorRestartReplace=Thay tệp khi khởi động lại (RestartReplace) không thành công:
ErrorRenamingTemp=Lỗi khi đổi tên tệp trong thư mục cài đặt:
ErrorRegisterServer=Không đăng ký được DLL/OCX: %1
ErrorRegSvr32Failed=RegSvr32 kết thúc với mã lỗi %1
ErrorRegisterTypeLib=Không đăng ký được thư viện kiểu: %1

; *** Uninstall display name markings
UninstallDisplayNameMark=%1 (%2)
UninstallDisplayNameMarks=%1 (%2, %3)
UninstallDisplayNameMark32Bit=32-bit
UninstallDisplayNameMark64Bit=64-bit
UninstallDisplayNameMarkAllUsers=Mọi người dùng
UninstallDisplayNameMarkCurrentUser=Người dùng hiện tại

; *** Post-installation errors
ErrorOpeningReadme=Lỗi khi mở tệp hướng dẫn.
ErrorRestartingComputer=Trình cài đặt không khởi động lại được máy. Hãy tự khởi động lại.

; *** Uninstaller messages
UninstallNotFound=Không có tệp "%1". Không gỡ cài đặt được.
UninstallOpenError=Không mở được tệp "%1". Không gỡ cài đặt được
UninstallUnsupportedVer=Tệp nhật ký gỡ cài đặt "%1" có định dạng mà trình gỡ cài đặt này không đọc được. Không gỡ cài đặt được
UninstallUnknownEntry=Gặp một mục không rõ (%1) trong nhật ký gỡ cài đặt
ConfirmUninstall=Bạn có chắc muốn gỡ %1 khỏi máy tính này không? Dữ liệu của bạn (cơ sở dữ liệu, bản sao lưu) được giữ nguyên.
UninstallOnlyOnWin64=Bản cài đặt này chỉ gỡ được trên Windows 64-bit.
OnlyAdminCanUninstall=Chỉ người dùng có quyền quản trị mới gỡ được bản cài đặt này.
UninstallStatusLabel=Xin chờ trong khi %1 được gỡ khỏi máy tính này.
UninstalledAll=Đã gỡ %1 khỏi máy tính này.
UninstalledMost=Đã gỡ xong %1.%n%nMột số mục không xóa được; bạn có thể tự xóa chúng.
UninstalledAndNeedsRestart=Cần khởi động lại máy để gỡ xong %1.%n%nKhởi động lại ngay bây giờ?
UninstallDataCorrupted=Tệp "%1" bị hỏng. Không gỡ cài đặt được

; *** Uninstallation phase messages
ConfirmDeleteSharedFileTitle=Xóa tệp dùng chung?
ConfirmDeleteSharedFile2=Hệ thống cho biết tệp dùng chung sau không còn chương trình nào dùng. Có xóa tệp này không?%n%nNếu vẫn còn chương trình dùng tệp mà tệp bị xóa, chương trình đó có thể chạy sai. Nếu không chắc, hãy chọn Không: để tệp lại trên máy không gây hại gì.
SharedFileNameLabel=Tên tệp:
SharedFileLocationLabel=Vị trí:
WizardUninstalling=Tình trạng gỡ cài đặt
StatusUninstalling=Đang gỡ %1...

; *** Shutdown block reasons
ShutdownBlockReasonInstallingApp=Đang cài %1.
ShutdownBlockReasonUninstallingApp=Đang gỡ %1.

[CustomMessages]

NameAndVersion=%1 phiên bản %2
AdditionalIcons=Lối tắt thêm:
CreateDesktopIcon=Tạo lối tắt trên &màn hình nền
CreateQuickLaunchIcon=Tạo lối tắt trên thanh &Quick Launch
ProgramOnTheWeb=%1 trên mạng
UninstallProgram=Gỡ cài đặt %1
LaunchProgram=Mở %1
AssocFileExtension=&Gắn %1 với loại tệp %2
AssocingFileExtension=Đang gắn %1 với loại tệp %2...
AutoStartProgramGroupDescription=Khởi động cùng Windows:
AutoStartProgram=Tự mở %1 khi khởi động
AddonHostProgramNotFound=Không tìm thấy %1 trong thư mục đã chọn.%n%nBạn vẫn muốn tiếp tục?

; DanhGia's own texts (used in danhgia.iss).
AppComment=Kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên
SelfTestShortcut=Tự kiểm tra DanhGia
DataKept=Dữ liệu của bạn vẫn được giữ nguyên trong thư mục:%n%n%1%n%nMuốn xóa hẳn, hãy tự xóa thư mục này (nên sao lưu trước).
